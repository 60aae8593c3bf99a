/*
 * block_bench: Block throughput for npm run bench. For each configured device (a Block
 * session by label) it writes and reads requests of 4 KiB and 64 KiB with 1 and 16 in
 * flight, and it copies the same bytes between two buffers (the memcpy floor). Each run of
 * N requests lies between two LOG markers ("bench <op> start N" / "bench <op> done N"), at
 * which the harness reads host time, virtual time and the kernel's counters, so this
 * component reads no clock and its output stays deterministic. After each run it logs what
 * its connection did (RPCs on the session, signals sent and received, packets):
 *
 *   <config requests_4k="128" requests_64k="32" warmup="8">
 *     <device label="ram"/>
 *     <device label="ahci"/>
 *   </config>
 *
 * A write's payload is copied from a client buffer into the bulk buffer and a read's out of
 * it, as a real client does; that is one memcpy of the payload on the client side.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { BlockConnection, type BlockConnectionCounters } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';

const SIZES = [4096, 65536] as const;
const DEPTHS = [1, 16] as const;
/** Room for 16 requests of 64 KiB in flight, plus the queues. */
const IO_BUFFER = 2 * 1024 * 1024;

interface Run { write: boolean; size: number; depth: number; requests: number }

/** Short names for the markers: blk-<device>-<rd|wr>-<4k|64k>-qd<depth>. */
function runName(device: string, r: Run): string {
  return `blk-${device}-${r.write ? 'wr' : 'rd'}-${r.size / 1024}k-qd${r.depth}`;
}

async function execute(block: BlockConnection, r: Run, count: number, client: Uint8Array): Promise<number> {
  const bs = block.info.blockSize;
  const per = r.size / bs;
  const slots = Math.floor(block.info.blockCount / per);
  if (slots < 1) throw new Error(`the device's ${block.info.blockCount} blocks of ${bs} bytes hold no request of ${r.size} bytes`);
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    while (inflight.size >= r.depth) await Promise.race(inflight);
    const blockNumber = (i % slots) * per;
    const p = (r.write
      ? block.job({ op: Opcode.WRITE, blockNumber, count: per }, { produce: (dst, offset) => { dst.set(client.subarray(offset, offset + dst.length)); } })
      : block.job({ op: Opcode.READ, blockNumber, count: per }, { consume: (src, offset) => { client.set(src, offset); } }))
      .then((ok) => { if (!ok) failed++; })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  return failed;
}

function delta(a: BlockConnectionCounters, b: BlockConnectionCounters): BlockConnectionCounters {
  return { rpcs: b.rpcs - a.rpcs, signalsSent: b.signalsSent - a.signalsSent, signalsReceived: b.signalsReceived - a.signalsReceived, packets: b.packets - a.packets };
}

async function benchDevice(env: Env, log: Log, label: string, runs: Run[], warmup: number): Promise<boolean> {
  const block = await BlockConnection.open(env, { label, txBufSize: IO_BUFFER });
  try {
    const { blockSize, blockCount, writeable } = block.info;
    await log(`${label}: ${blockCount} blocks of ${blockSize} bytes${writeable ? ', writeable' : ''}`);
    const client = new Uint8Array(Math.max(...SIZES));
    for (let i = 0; i < client.length; i++) client[i] = (i * 7 + 3) & 0xff;
    let ok = true;
    for (const r of runs) {
      const name = runName(label, r);
      if (r.write && !writeable) {
        await log(`bench ${name} unsupported: the device is read-only`);
        continue;
      }
      let failed = await execute(block, r, warmup, client);
      const before = { ...block.counters };
      await log(`bench ${name} start ${r.requests}`);
      failed += await execute(block, r, r.requests, client);
      await log(`bench ${name} done ${r.requests}`);
      const d = delta(before, block.counters);
      await log(`counts ${name} requests:${r.requests} bytes:${r.requests * r.size} packets:${d.packets} rpcs:${d.rpcs} signals_sent:${d.signalsSent} signals_received:${d.signalsReceived}`);
      if (failed > 0) {
        await log(`Error: ${name}: ${failed} requests failed`);
        ok = false;
      }
    }
    return ok;
  } finally {
    await block.close();
  }
}

/** The floor: the same bytes copied between two buffers, request by request. */
async function memcpyFloor(log: Log, size: number, requests: number): Promise<void> {
  const src = new Uint8Array(size).fill(0x5a);
  const dst = new Uint8Array(size);
  for (let i = 0; i < 8; i++) dst.set(src);
  await log(`bench memcpy-${size / 1024}k start ${requests}`);
  for (let i = 0; i < requests; i++) {
    src[0] = i & 0xff; /* a different first byte each time, so the copy cannot be skipped */
    dst.set(src);
  }
  await log(`bench memcpy-${size / 1024}k done ${requests}`);
  if (dst[0] !== ((requests - 1) & 0xff)) throw new Error('memcpy floor: the copy did not happen');
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: XmlNode;
  try {
    config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of block_bench');
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const requests = { 4096: config.numberAttr('requests_4k', 128, 1 << 20), 65536: config.numberAttr('requests_64k', 32, 1 << 20) };
  const warmup = config.numberAttr('warmup', 8, 1024);
  const runs: Run[] = [];
  for (const write of [true, false]) for (const size of SIZES) for (const depth of DEPTHS) runs.push({ write, size, depth, requests: requests[size] });
  let ok = true;
  /* more copies than requests, so the markers' own cost does not count; the rate is per byte */
  for (const size of SIZES) await memcpyFloor(log, size, requests[size] * 64);
  for (const device of config.children('device')) {
    const label = device.attr('label');
    try {
      if (!(await benchDevice(env, log, label, runs, warmup))) ok = false;
    } catch (e) {
      await log(`Error: device "${label}": ${describeError(e)}`);
      ok = false;
    }
  }
  await log(`--- block_bench finished ---${ok ? '' : ' with errors'}`);
  await env.exit(ok ? 0 : 1);
}
