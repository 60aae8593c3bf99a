/*
 * test-rom_block: reads the whole device rom_block serves, several requests in flight,
 * and checks every byte against the generated image; then checks that the read-only device
 * refuses writes and trims and that reads beyond its end fail, and that sync works.
 *   <config image_size="100000" request_blocks="8" batch="8"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';
import { imageByte } from './image.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  const imageSize = c.numberAttr('image_size');
  const per = c.numberAttr('request_blocks', 8);
  const batch = c.numberAttr('batch', 8);
  try {
    const block = await BlockConnection.open(env, { txBufSize: 256 * 1024 });
    const { blockSize, blockCount, writeable } = block.info;
    await log(`device: ${blockCount} blocks of ${blockSize} bytes, ${writeable ? 'writeable' : 'read-only'}`);
    if (blockCount !== Math.ceil(imageSize / blockSize)) throw new Error(`expected ${Math.ceil(imageSize / blockSize)} blocks`);
    let bad = 0;
    let checked = 0;
    let maxInFlight = 0;
    const jobs: Promise<boolean>[] = [];
    for (let b = 0; b < blockCount; b += per) {
      const n = Math.min(per, blockCount - b);
      if (jobs.length >= batch) await jobs.shift();
      jobs.push(block.job({ op: Opcode.READ, blockNumber: b, count: n }, {
        consume: (src) => {
          for (let i = 0; i < src.length; i++) {
            const at = b * blockSize + i;
            const want = at < imageSize ? imageByte(at) : 0;
            if (src[i] !== want) bad++;
            checked++;
          }
        },
      }));
      maxInFlight = Math.max(maxInFlight, block.jobsInFlight);
    }
    const results = await Promise.all(jobs);
    if (results.includes(false)) throw new Error('a read failed');
    if (bad > 0) throw new Error(`${bad} of ${checked} bytes differ from the image`);
    await log(`${checked} bytes read (${imageSize} of the image, the rest zero) and verified, up to ${maxInFlight} requests in flight`);
    const refused = async (what: string, op: Opcode, blockNumber: number, count: number) => {
      const ok = await block.job({ op, blockNumber, count }, { produce: (d) => d.fill(0xee) });
      await log(`${what}: ${ok ? 'served (unexpected)' : 'refused'}`);
    };
    await refused('write to the read-only device', Opcode.WRITE, 0, 1);
    await refused('trim of the read-only device', Opcode.TRIM, 0, 1);
    await refused('read beyond the last block', Opcode.READ, blockCount - 1, 2);
    await refused('read far beyond the device', Opcode.READ, 1e12, 1);
    await block.sync();
    const again = await block.read(0, 1);
    if (again.some((v, i) => v !== imageByte(i))) throw new Error('block 0 changed');
    await log('block 0 unchanged after the refused write; sync served');
    await block.close();
    await log('rom_block test done');
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
