/*
 * fs_bench: file throughput through a File_system session next to the Block throughput of
 * the same kind of device beneath, for npm run bench (tool/bench/fs.ts). It writes and then
 * reads `size` bytes in requests of `chunk` bytes with `depth` of them in flight, once
 * through a Block session ("raw": a ram_block like the one the file system sits on) and
 * once as a file through the File_system session (the vfs server with <fat/> on the other
 * ram_block). Each run lies between two LOG markers ("bench <op> start N" / "... done N",
 * N bytes) at which the harness reads host and virtual time; this component reads no clock.
 *
 *   <config size="4M" chunk="64K" depth="16"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';
import { FileSystemConnection } from '../../session/file_system/connection.js';
import { FsMode } from '../../session/file_system/session.js';

/** Runs `count` operations with at most `depth` in flight; `op(i)` resolves false on failure. */
async function pipelined(count: number, depth: number, op: (i: number) => Promise<boolean>): Promise<number> {
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    while (inflight.size >= depth) await Promise.race(inflight);
    const p: Promise<void> = op(i).then((ok) => { if (!ok) failed++; }, () => { failed++; }).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  return failed;
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let size: number, chunk: number, depth: number;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of fs_bench');
    size = c.numberAttr('size', 4 * 1024 * 1024);
    chunk = c.numberAttr('chunk', 64 * 1024);
    depth = c.intAttr('depth', 16);
    if (chunk < 512 || chunk % 512 !== 0 || size % chunk !== 0 || depth < 1) throw c.error(`size ${size} must be a multiple of chunk ${chunk} (a multiple of 512), depth ${depth} at least 1`);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const count = size / chunk;
  const pattern = new Uint8Array(chunk);
  for (let i = 0; i < chunk; i++) pattern[i] = (i * 7 + 3) & 0xff;
  const sink = new Uint8Array(chunk);
  let errors = 0;
  const run = async (name: string, op: (i: number) => Promise<boolean>) => {
    await log(`bench ${name} start ${size}`);
    const failed = await pipelined(count, depth, op);
    await log(`bench ${name} done ${size}`);
    if (failed > 0) { errors++; await log(`Error: ${name}: ${failed} of ${count} requests failed`); }
  };

  /* the Block session beneath: the same requests, straight to a ram_block */
  const block = await BlockConnection.open(env, { label: 'raw', txBufSize: (depth + 1) * chunk + 64 * 1024 });
  const per = chunk / block.info.blockSize;
  await log(`raw: ${block.info.blockCount} blocks of ${block.info.blockSize} bytes`);
  await run('blk-wr', (i) => block.job({ op: Opcode.WRITE, blockNumber: i * per, count: per }, { produce: (dst, at) => { dst.set(pattern.subarray(at, at + dst.length)); } }));
  await run('blk-rd', (i) => block.job({ op: Opcode.READ, blockNumber: i * per, count: per }, { consume: (src, at) => { sink.set(src, at); } }));

  /* the same bytes as one file through the File_system session */
  const fs = await FileSystemConnection.open(env, { label: 'fs', txBufSize: (depth + 1) * chunk + 64 * 1024, storageQuota: size + 64 * 1024 });
  const root = await fs.session.dir('/', false);
  const file = await fs.session.file(root, 'bench.bin', FsMode.READ_WRITE, true);
  await run('fs-wr', async (i) => (await fs.write(file, i * chunk, pattern)) === chunk);
  await fs.sync(file);
  let mismatches = 0;
  await run('fs-rd', async (i) => {
    const got = await fs.read(file, i * chunk, chunk);
    if (got.length !== chunk || got.some((b, k) => b !== pattern[k])) mismatches++;
    return got.length === chunk;
  });
  const status = await fs.session.status(file);
  await log(`file: ${status.size} bytes written and read back, ${mismatches} chunks differ`);
  if (mismatches > 0 || status.size !== size) errors++;
  await fs.session.close(file);
  await fs.session.unlink(root, 'bench.bin');
  await log(errors ? '--- fs_bench finished --- with errors' : '--- fs_bench finished ---');
}
