/*
 * test-part_block: a client of one partition served by part_block.
 *   <config blocks="128" seed="5" writeable="no" write="no" request_blocks="128" raw_lba="800"/>
 * Checks the partition's size and writeability, reads all of it (several requests in
 * flight) and compares every byte with `partitionByte(seed, i)`, logs the content's CRC32,
 * then tries to reach past the partition's end (reads across and past the end, a write
 * past the end: all must be refused). With write="yes" it writes the first and the last
 * eight blocks and reads them back. With raw_lba it opens a second Block session labelled
 * "raw" to the whole disk and checks that the writes landed at raw_lba + n and that the
 * blocks next to the partition are untouched (FILL). With expect_denied="yes" it only
 * checks that part_block refuses its session (no policy for it).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';
import { crc32 } from '../../server/part_block/table.js';
import { FILL, partitionByte, writtenByte } from './image.js';

const hex8 = (v: number) => v.toString(16).padStart(8, '0');

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  const blocks = c.numberAttr('blocks');
  const seed = c.numberAttr('seed');
  const expectWriteable = c.boolAttr('writeable', false);
  const write = c.boolAttr('write', false);
  const per = c.numberAttr('request_blocks', 128);
  const rawLba = c.hasAttr('raw_lba') ? c.numberAttr('raw_lba') : undefined;
  if (c.boolAttr('expect_denied', false)) {
    try {
      await BlockConnection.open(env, { txBufSize: 64 * 1024 });
      await log('Error: the session was granted (unexpected)');
    } catch (e) {
      await log(`session denied as expected: ${describeError(e)}`);
    }
    return;
  }
  try {
    const block = await BlockConnection.open(env, { txBufSize: 512 * 1024 });
    const { blockSize, blockCount, writeable } = block.info;
    await log(`partition: ${blockCount} blocks of ${blockSize} bytes, ${writeable ? 'writeable' : 'read-only'}`);
    if (blockCount !== blocks) throw new Error(`expected ${blocks} blocks, the session has ${blockCount}`);
    if (writeable !== expectWriteable) throw new Error(`expected a ${expectWriteable ? 'writeable' : 'read-only'} session`);

    /* every byte, four requests in flight */
    const content = new Uint8Array(blockCount * blockSize);
    const jobs: Promise<boolean>[] = [];
    for (let b = 0; b < blockCount; b += per) {
      const n = Math.min(per, blockCount - b);
      if (jobs.length >= 4) if (!(await jobs.shift())) throw new Error('a read failed');
      jobs.push(block.job({ op: Opcode.READ, blockNumber: b, count: n }, { consume: (src) => content.set(src, b * blockSize) }));
    }
    if ((await Promise.all(jobs)).includes(false)) throw new Error('a read failed');
    let bad = 0;
    let first = -1;
    for (let i = 0; i < content.length; i++) {
      if (content[i] !== partitionByte(seed, i)) {
        if (bad++ === 0) first = i;
      }
    }
    if (bad > 0) throw new Error(`${bad} of ${content.length} bytes differ from the partition's content, the first at byte ${first} (block ${Math.floor(first / blockSize)})`);
    await log(`partition content: ${content.length} bytes verified, crc32 ${hex8(crc32(content))}`);

    const refused = async (what: string, op: Opcode, blockNumber: number, count: number) => {
      const ok = await block.job({ op, blockNumber, count }, { produce: (d) => d.fill(0xee) });
      await log(`${what}: ${ok ? 'served (unexpected)' : 'refused'}`);
    };
    await refused('read across the partition\'s end', Opcode.READ, blockCount - 1, 2);
    await refused('read past the partition\'s end', Opcode.READ, blockCount, 1);
    await refused('read far beyond the partition', Opcode.READ, 2 ** 40, 1);
    await refused('write past the partition\'s end', Opcode.WRITE, blockCount, 1);
    await refused('write across the partition\'s end', Opcode.WRITE, blockCount - 1, 2);
    if (!writeable) await refused('write to the read-only partition', Opcode.WRITE, 0, 1);

    const ranges: [number, number][] = [[0, 8], [blockCount - 8, 8]];
    if (write) {
      for (const [b, n] of ranges) {
        await block.write(b, Uint8Array.from({ length: n * blockSize }, (_, i) => writtenByte(seed, b * blockSize + i)));
      }
      await block.sync();
      for (const [b, n] of ranges) {
        const back = await block.read(b, n);
        if (back.some((v, i) => v !== writtenByte(seed, b * blockSize + i))) throw new Error(`blocks ${b}..${b + n - 1} read back differ from what was written`);
      }
      const mid = await block.read(8, 1);
      if (mid.some((v, i) => v !== partitionByte(seed, 8 * blockSize + i))) throw new Error('block 8 changed');
      await log(`wrote blocks 0..7 and ${blockCount - 8}..${blockCount - 1}, read them back: verified`);
    }
    const zero = await block.read(0, 1);
    const wantFirst = (i: number) => (write ? writtenByte(seed, i) : partitionByte(seed, i));
    if (zero.some((v, i) => v !== wantFirst(i))) throw new Error('block 0 changed by a refused request');

    if (rawLba !== undefined) {
      const raw = await BlockConnection.open(env, { label: 'raw', txBufSize: 512 * 1024 });
      const before = await raw.read(rawLba - 1, 1);
      const after = await raw.read(rawLba + blockCount, 1);
      if (before.some((v) => v !== FILL) || after.some((v) => v !== FILL)) throw new Error('a block next to the partition changed');
      for (const [b, n] of ranges) {
        const r = await raw.read(rawLba + b, n);
        const want = (i: number) => (write ? writtenByte(seed, b * blockSize + i) : partitionByte(seed, b * blockSize + i));
        if (r.some((v, i) => v !== want(i))) throw new Error(`disk blocks ${rawLba + b}..${rawLba + b + n - 1} do not hold the partition's blocks ${b}..${b + n - 1}`);
      }
      await log(`whole disk: partition blocks at LBA ${rawLba}.., the blocks before and after it untouched`);
      await raw.close();
    }
    await log('test-part_block done');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
