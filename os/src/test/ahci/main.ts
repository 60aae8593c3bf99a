/*
 * test-ahci: a Block client of ahci_drv.
 *   <config mode="full" disk_blocks="4096" cd_bytes="..."/>: reads the whole generated
 *     disk (several requests in flight) and checks it, writes blocks (small ones in flight
 *     together, one larger than the driver's per-command buffer) and reads them back, syncs,
 *     trims, closes the session, opens a new one and re-reads the written blocks, and reads
 *     the CD's sectors; writes to the CD are refused.
 *   <config mode="persist"/>: reads the marker block, logs what it found, writes the next
 *     marker and syncs (for runs with `tool/run --disk FILE`, one after the other).
 *   <config mode="error"/>: on a disk the medium refuses writes to (the policy says
 *     writeable): writes fail (the drive aborts them), reads in flight at the same time and
 *     after them succeed.
 *   <config mode="unreadable"/>: on a disk whose block 40 cannot be read: eight reads of 8
 *     blocks in flight (0..63), the one of 40 fails, the others are served with their data.
 *   <config mode="hang"/>: on a disk that stops answering at block 64 (the driver's command
 *     timeout is short): a read of block 64 with two reads behind it; the first fails after
 *     the timeout, the other two are served after the port reset, and so is what follows.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';
import { imageByte } from '../block/image.js';

/** The CD's generated content (scenario and client share it). */
export function cdByte(i: number): number {
  return imageByte(i + 0x12345) ^ 0xa5;
}

/** What a written block holds: derived from block number and round. */
function written(block: number, round: number, i: number): number {
  return (Math.imul(block * 512 + i, 0x9e3779b1) >>> 24) ^ round;
}

const MARK_BLOCK = 100;
const MAGIC = 'genode-ts ahci marker ';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  try {
    const mode = c.attr('mode', 'full');
    if (mode === 'persist') await persist(env, log);
    else if (mode === 'error') await errors(env, log);
    else if (mode === 'unreadable') await unreadable(env, log);
    else if (mode === 'hang') await hang(env, log);
    else await full(env, log, c.numberAttr('disk_blocks'), c.numberAttr('cd_bytes'));
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}

async function persist(env: Env, log: (l: string) => Promise<void>): Promise<void> {
  const disk = await BlockConnection.open(env, { label: 'disk' });
  const b = await disk.read(MARK_BLOCK, 1);
  const text = new TextDecoder().decode(b.subarray(0, 64)).replace(/\0+$/, '');
  let n = 0;
  if (text.startsWith(MAGIC)) {
    n = Number(text.slice(MAGIC.length));
    await log(`marker ${n} found`);
  } else {
    await log('no marker found');
  }
  const out = new Uint8Array(disk.info.blockSize);
  out.set(new TextEncoder().encode(`${MAGIC}${n + 1}`));
  await disk.write(MARK_BLOCK, out);
  await disk.sync();
  await log(`wrote marker ${n + 1}`);
  await disk.close();
}

async function errors(env: Env, log: (l: string) => Promise<void>): Promise<void> {
  const disk = await BlockConnection.open(env, { label: 'disk' });
  const original = await disk.read(5, 4);
  const write = disk.job({ op: Opcode.WRITE, blockNumber: 5, count: 4 }, { produce: (d) => d.fill(0x77) });
  const reads = [disk.read(0, 8), disk.read(8, 8), disk.read(5, 4)];
  const ok = await write;
  await log(`write to the refusing medium: ${ok ? 'served (unexpected)' : 'failed'}`);
  const got = await Promise.all(reads);
  await log(`${got.length} reads in flight with it: served`);
  const second = await disk.job({ op: Opcode.WRITE, blockNumber: 0, count: 1 }, { produce: (d) => d.fill(0x77) });
  await log(`another write: ${second ? 'served (unexpected)' : 'failed'}`);
  await disk.sync();
  const again = await disk.read(5, 4);
  await log(`after the errors: reads served, the blocks ${again.every((v, i) => v === original[i]) ? 'unchanged' : 'changed (unexpected)'}`);
  await disk.close();
  await log('--- AHCI error test finished ---');
}

async function unreadable(env: Env, log: (l: string) => Promise<void>): Promise<void> {
  const disk = await BlockConnection.open(env, { label: 'disk' });
  const bs = disk.info.blockSize;
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => {
    let data: Uint8Array | undefined;
    return disk.job({ op: Opcode.READ, blockNumber: i * 8, count: 8 }, { consume: (src) => { data = src.slice(); } }).then((ok) => ({ ok, data }));
  }));
  const failed = results.flatMap((r, i) => (r.ok ? [] : [i * 8]));
  let intact = true;
  for (const [i, r] of results.entries()) {
    if (!r.ok) continue;
    for (let j = 0; j < 8 * bs; j++) if (r.data![j] !== imageByte((i * 8) * bs + j)) intact = false;
  }
  await log(`8 reads in flight: ${8 - failed.length} served${intact ? ' with the right data' : ' with wrong data (unexpected)'}, failed: ${failed.map((b) => `the one at ${b}`).join(', ') || 'none'}`);
  const again = await disk.job({ op: Opcode.READ, blockNumber: 41, count: 8 });
  await log(`a read next to the bad block: ${again ? 'served' : 'failed (unexpected)'}`);
  await disk.close();
  await log('--- AHCI unreadable test finished ---');
}

async function hang(env: Env, log: (l: string) => Promise<void>): Promise<void> {
  const disk = await BlockConnection.open(env, { label: 'disk' });
  const stuck = disk.job({ op: Opcode.READ, blockNumber: 64, count: 1 });
  const behind = [disk.read(0, 8), disk.read(8, 8)];
  const ok = await stuck;
  await log(`read of the block the drive hangs at: ${ok ? 'served (unexpected)' : 'failed'}`);
  const got = await Promise.all(behind);
  const bs = disk.info.blockSize;
  const right = got.every((d, i) => d.every((v, j) => v === imageByte(i * 8 * bs + j)));
  await log(`the 2 reads behind it: served${right ? ' with the right data' : ' with wrong data (unexpected)'}`);
  const after = await disk.read(16, 8);
  await disk.write(100, after);
  await disk.sync();
  const back = await disk.read(100, 8);
  await log(`after the reset: read, write and sync served${back.every((v, i) => v === after[i]) ? '' : ' (wrong data, unexpected)'}`);
  await disk.close();
  await log('--- AHCI hang test finished ---');
}

async function full(env: Env, log: (l: string) => Promise<void>, diskBlocks: number, cdBytes: number): Promise<void> {
  let disk = await BlockConnection.open(env, { label: 'disk', txBufSize: 512 * 1024 });
  const { blockSize, blockCount, writeable } = disk.info;
  await log(`disk: ${blockCount} blocks of ${blockSize} bytes, ${writeable ? 'writeable' : 'read-only'}`);
  if (blockSize !== 512 || blockCount !== diskBlocks || !writeable) throw new Error(`expected ${diskBlocks} writeable blocks of 512 bytes`);

  /* the whole disk, 16 requests of 32 KiB in flight */
  let bad = 0;
  let maxInFlight = 0;
  const jobs: Promise<boolean>[] = [];
  for (let b = 0; b < blockCount; b += 64) {
    const n = Math.min(64, blockCount - b);
    if (jobs.length >= 16) await jobs.shift();
    jobs.push(disk.job({ op: Opcode.READ, blockNumber: b, count: n }, {
      consume: (src) => { for (let i = 0; i < src.length; i++) if (src[i] !== imageByte(b * 512 + i)) bad++; },
    }));
    maxInFlight = Math.max(maxInFlight, disk.jobsInFlight);
  }
  if ((await Promise.all(jobs)).includes(false)) throw new Error('a read of the disk failed');
  if (bad > 0) throw new Error(`${bad} bytes of the disk differ from the image`);
  await log(`disk read and verified: ${blockCount * 512} bytes, up to ${maxInFlight} requests in flight`);

  /* writes: 8 requests of 8 blocks in flight together, then 256 blocks in one request */
  const fill = (block: number, round: number) => (dst: Uint8Array) => {
    for (let i = 0; i < dst.length; i++) dst[i] = written(block + (i >> 9), round, i & 511);
  };
  const verify = (block: number, round: number, src: Uint8Array) => {
    let wrong = 0;
    for (let i = 0; i < src.length; i++) if (src[i] !== written(block + (i >> 9), round, i & 511)) wrong++;
    return wrong;
  };
  const writes: Promise<boolean>[] = [];
  for (let k = 0; k < 8; k++) writes.push(disk.job({ op: Opcode.WRITE, blockNumber: 1000 + 8 * k, count: 8 }, { produce: fill(1000 + 8 * k, 1) }));
  writes.push(disk.job({ op: Opcode.WRITE, blockNumber: 2048, count: 256 }, { produce: fill(2048, 2) }));
  if ((await Promise.all(writes)).includes(false)) throw new Error('a write failed');
  let wrong = verify(1000, 1, await disk.read(1000, 64)) + verify(2048, 2, await disk.read(2048, 256));
  if (wrong > 0) throw new Error(`${wrong} bytes read back differ from what was written`);
  await log('wrote 64 blocks in 8 requests in flight and 256 blocks in one request, read back and verified');
  await disk.sync();
  await log('sync served');
  await disk.trim(3000, 16);
  const trimmed = await disk.read(3000, 16);
  await log(`trim served, the blocks read back as ${trimmed.every((v) => v === 0) ? 'zeros' : 'data (Error)'}`);
  const refused = await disk.job({ op: Opcode.WRITE, blockNumber: blockCount - 1, count: 2 }, { produce: (d) => d.fill(1) });
  await log(`write beyond the end: ${refused ? 'served (unexpected)' : 'refused'}`);
  await disk.close();

  /* reboot-style: a new session sees what the old one wrote */
  disk = await BlockConnection.open(env, { label: 'disk', txBufSize: 512 * 1024 });
  wrong = verify(1000, 1, await disk.read(1000, 64)) + verify(2048, 2, await disk.read(2048, 256));
  if (wrong > 0) throw new Error(`${wrong} bytes differ after reopening the session`);
  const before = await disk.read(999, 1);
  if (before.some((v, i) => v !== imageByte(999 * 512 + i))) throw new Error('block 999 (not written) changed');
  await log('new session: the written blocks read back, the others unchanged');
  await disk.close();

  /* the CD: 2048-byte blocks, read-only */
  const cd = await BlockConnection.open(env, { label: 'cd', txBufSize: 256 * 1024 });
  const ci = cd.info;
  await log(`cd: ${ci.blockCount} blocks of ${ci.blockSize} bytes, ${ci.writeable ? 'writeable' : 'read-only'}`);
  if (ci.blockSize !== 2048 || ci.blockCount !== Math.ceil(cdBytes / 2048) || ci.writeable) throw new Error(`expected ${Math.ceil(cdBytes / 2048)} read-only blocks of 2048 bytes`);
  bad = 0;
  const cdJobs: Promise<boolean>[] = [];
  for (const [b, n] of [[0, 1], [16, 2], [17, 40], [ci.blockCount - 1, 1]] as const) {
    cdJobs.push(cd.job({ op: Opcode.READ, blockNumber: b, count: n }, {
      consume: (src) => {
        for (let i = 0; i < src.length; i++) {
          const at = b * 2048 + i;
          if (src[i] !== (at < cdBytes ? cdByte(at) : 0)) bad++;
        }
      },
    }));
  }
  if ((await Promise.all(cdJobs)).includes(false)) throw new Error('a read of the CD failed');
  if (bad > 0) throw new Error(`${bad} bytes of the CD differ from its image`);
  await log('cd sectors 0, 16-17, 17-56 and the last read and verified');
  const cdWrite = await cd.job({ op: Opcode.WRITE, blockNumber: 0, count: 1 }, { produce: (d) => d.fill(1) });
  await log(`write to the cd: ${cdWrite ? 'served (unexpected)' : 'refused'}`);
  await cd.close();
  await log('--- AHCI driver test finished ---');
}
