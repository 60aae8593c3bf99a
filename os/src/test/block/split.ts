/*
 * test-block_split: BlockConnection splits reads and writes larger than its bulk buffer
 * into pieces. Against a writeable device (ram_block) with a small I/O buffer: a write and
 * a read of 3 * maxBlockCount + 5 blocks go as four packets each, the hooks see each piece
 * with its offset in the job, the data comes back identical; a split write whose producer
 * withdraws at its second piece resolves false, with only the first piece written.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';
import { imageByte } from './image.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const block = await BlockConnection.open(env, { txBufSize: 64 * 1024 });
    const bs = block.info.blockSize;
    const max = block.maxBlockCount;
    const n = 3 * max + 5;
    const data = new Uint8Array(n * bs);
    for (let i = 0; i < data.length; i++) data[i] = imageByte(i);

    let before = block.counters.packets;
    await block.write(0, data);
    const writePackets = block.counters.packets - before;
    before = block.counters.packets;
    const back = await block.read(0, n);
    const readPackets = block.counters.packets - before;
    const same = back.every((v, i) => v === data[i]);
    await log(`write and read of 3 bulk buffers and 5 blocks: ${writePackets} and ${readPackets} packets, ${same ? 'identical' : 'different (unexpected)'}`);

    /* the hooks see every piece with its offset, in order */
    const pieces: string[] = [];
    const ok = await block.job({ op: Opcode.READ, blockNumber: 0, count: n }, {
      consume: (src, offset) => { pieces.push(`${offset / bs}+${src.length / bs}`); },
    });
    const expected = [`0+${max}`, `${max}+${max}`, `${2 * max}+${max}`, `${3 * max}+5`];
    await log(`read job: ${ok ? 'served' : 'failed (unexpected)'}, pieces ${pieces.join(' ') === expected.join(' ') ? 'as expected' : `${pieces.join(' ')} (unexpected)`}`);

    /* a producer withdrawing at the second piece: the job fails, only the first piece is written */
    const start = n;
    const count = 2 * max + 1;
    const withdrawn = await block.job({ op: Opcode.WRITE, blockNumber: start, count }, {
      produce: (dst, offset) => (offset === 0 ? void dst.fill(0xee) : false),
    });
    const after = await block.read(start, count);
    const first = after.subarray(0, max * bs).every((v) => v === 0xee);
    const rest = after.subarray(max * bs).every((v) => v === 0);
    await log(`withdrawn split write: ${withdrawn ? 'served (unexpected)' : 'failed'}, first piece ${first ? 'written' : 'not written (unexpected)'}, the rest ${rest ? 'untouched' : 'written (unexpected)'}`);
    await block.close();
    await log('--- block split test finished ---');
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
