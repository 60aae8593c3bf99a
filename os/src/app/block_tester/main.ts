/*
 * block_tester (Genode's os/src/app/block_tester): runs the configured tests one after the
 * other, each on a fresh Block connection, and logs one line per test with its figures
 * (blocks read and written, bytes, duration, MiB/s and I/O operations per second by the
 * Timer session's clock: virtual time on the emulated kernels):
 *
 *   <config io_buffer="1M" verify="yes" stop_on_error="yes">
 *     <tests>
 *       <sequential write="yes" start="0" length="256K" size="4K" batch="8"/>
 *       <sequential length="256K" size="64K" batch="4"/>
 *       <random read="yes" write="yes" count="512" size="4K" seed="42" batch="16"/>
 *     </tests>
 *   </config>
 *
 * Written blocks carry a pattern derived from the block number and a per-write stamp; with
 * verify="yes" every read of a block this tester wrote is checked against the stamp the
 * block had when the read was submitted (the server serves a session's requests in order).
 * Write tests are skipped on a read-only device.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { Opcode } from '../../session/block/packet.js';
import { TimerConnection } from '../../session/timer/connection.js';

/** The 32-bit word `i` of block `block` written with stamp `stamp`. */
export function patternWord(block: number, stamp: number, i: number): number {
  let x = (Math.imul(block, 0x9e3779b1) ^ Math.imul(stamp + 1, 0x85ebca77) ^ Math.imul(i + 1, 0xc2b2ae3d)) >>> 0;
  x ^= x >>> 15;
  return Math.imul(x, 0x2c1b3c6d) >>> 0;
}

function fillBlock(dst: Uint8Array, block: number, stamp: number): void {
  const v = new DataView(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i + 4 <= dst.length; i += 4) v.setUint32(i, patternWord(block, stamp, i >> 2), true);
}

function blockMatches(src: Uint8Array, block: number, stamp: number): boolean {
  const v = new DataView(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i + 4 <= src.length; i += 4) if (v.getUint32(i, true) !== patternWord(block, stamp, i >> 2)) return false;
  return true;
}

/** xoshiro128** (32-bit state words), Genode's block_tester uses its 64-bit sibling. */
export class Xoshiro128 {
  private s: Uint32Array;
  constructor(seed: number) {
    /* splitmix32 expands the seed */
    let z = seed >>> 0;
    const next = () => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s = new Uint32Array([next(), next(), next(), next()]);
  }
  next(): number {
    const s = this.s;
    const r = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return r;
  }
  /** Uniform in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }
}

interface Request { write: boolean; block: number; count: number }

interface Result { rx: number; tx: number; bytes: number; ops: number; mismatches: number; failed: number; us: number; triggered: number }

class Tester {
  /** The stamp each block got from its last write by this tester. */
  private readonly stamps = new Map<number, number>();
  private nextStamp = 1;

  constructor(private readonly env: Env, private readonly log: Log, private readonly timer: TimerConnection, private readonly ioBuffer: number, private readonly verify: boolean) {}

  async run(test: XmlNode, index: number): Promise<boolean> {
    const name = test.type;
    const block = await BlockConnection.open(this.env, { label: `${name}_${index}`, txBufSize: this.ioBuffer });
    try {
      const { blockSize, blockCount, writeable } = block.info;
      const size = test.numberAttr('size', blockSize);
      if (size < blockSize || size % blockSize !== 0) throw test.error(`size="${size}" is not a multiple of the block size ${blockSize}`);
      const per = size / blockSize;
      /* a request larger than the I/O buffer is split by the connection into pieces */
      const batch = Math.max(1, test.numberAttr('batch', 1, 256));
      const requests: Request[] = [];
      let wantsWrite: boolean;
      if (name === 'sequential') {
        const start = test.numberAttr('start', 0);
        const length = test.numberAttr('length', (blockCount - Math.min(start, blockCount)) * blockSize);
        const write = test.boolAttr('write');
        wantsWrite = write;
        if (start >= blockCount || length % size !== 0 || start + length / blockSize > blockCount) throw test.error(`start="${start}" length="${length}" do not fit the device's ${blockCount} blocks in requests of ${size} bytes`);
        for (let b = start; b < start + length / blockSize; b += per) requests.push({ write, block: b, count: per });
      } else if (name === 'random') {
        const count = test.numberAttr('count', Math.floor(blockCount / per));
        const rng = new Xoshiro128(test.numberAttr('seed', 42));
        const write = test.boolAttr('write');
        const read = test.boolAttr('read', !write);
        wantsWrite = write;
        const slots = Math.floor(blockCount / per);
        for (let i = 0; i < count; i++) {
          const r = rng.next();
          const isWrite = write && read ? (r & 1) === 1 : write;
          requests.push({ write: isWrite, block: rng.below(slots) * per, count: per });
        }
      } else {
        throw test.error(`unknown test "${name}" (sequential or random)`);
      }
      if (wantsWrite && !writeable) {
        await this.log(`skipped ${name}: the device is read-only`);
        return true;
      }
      const r = await this.execute(block, requests, batch);
      const ms = r.us / 1000;
      const mibs = r.us > 0 ? r.bytes / 2 ** 20 / (r.us / 1e6) : 0;
      const iops = r.us > 0 ? r.ops / (r.us / 1e6) : 0;
      const ok = r.mismatches === 0 && r.failed === 0;
      await this.log(`finished ${name} rx:${r.rx} tx:${r.tx} bytes:${r.bytes} size:${size} bsize:${blockSize} batch:${batch} duration:${ms.toFixed(3)} mibs:${mibs.toFixed(3)} iops:${iops.toFixed(3)} triggered:${r.triggered} verified:${this.verify ? 'yes' : 'no'} result:${ok ? 'ok' : 'failed'}`);
      if (r.mismatches > 0) await this.log(`Error: ${name}: ${r.mismatches} blocks read back differently than written`);
      if (r.failed > 0) await this.log(`Error: ${name}: ${r.failed} requests failed`);
      return ok;
    } finally {
      await block.close();
    }
  }

  private async execute(block: BlockConnection, requests: Request[], batch: number): Promise<Result> {
    const bs = block.info.blockSize;
    const res: Result = { rx: 0, tx: 0, bytes: 0, ops: 0, mismatches: 0, failed: 0, us: 0, triggered: 0 };
    const inflight = new Set<Promise<void>>();
    const t0 = await this.timer.elapsedUs();
    const start = (q: Request): Promise<void> => {
      if (q.write) {
        const stamp = this.nextStamp++;
        for (let i = 0; i < q.count; i++) this.stamps.set(q.block + i, stamp);
        return block.job({ op: Opcode.WRITE, blockNumber: q.block, count: q.count }, {
          produce: (dst, offset) => {
            const first = offset / bs;
            for (let i = 0; i < dst.length / bs; i++) fillBlock(dst.subarray(i * bs, (i + 1) * bs), q.block + first + i, stamp);
          },
        }).then((ok) => { if (ok) res.tx += q.count; else res.failed++; });
      }
      const expected = Array.from({ length: q.count }, (_, i) => this.stamps.get(q.block + i));
      return block.job({ op: Opcode.READ, blockNumber: q.block, count: q.count }, {
        consume: (src, offset) => {
          if (!this.verify) return;
          const first = offset / bs;
          for (let i = 0; i < src.length / bs; i++) {
            const stamp = expected[first + i];
            if (stamp !== undefined && !blockMatches(src.subarray(i * bs, (i + 1) * bs), q.block + first + i, stamp)) res.mismatches++;
          }
        },
      }).then((ok) => { if (ok) res.rx += q.count; else res.failed++; });
    };
    for (const q of requests) {
      while (inflight.size >= batch) await Promise.race(inflight);
      const p = start(q).finally(() => inflight.delete(p));
      inflight.add(p);
      res.ops++;
      res.bytes += q.count * bs;
    }
    await Promise.all(inflight);
    res.us = (await this.timer.elapsedUs()) - t0;
    res.triggered = block.triggered;
    return res;
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: XmlNode;
  try {
    config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of block_tester');
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const timer = await TimerConnection.open(env);
  const tester = new Tester(env, log, timer, config.numberAttr('io_buffer', 1024 * 1024, 64 * 1024 * 1024), config.boolAttr('verify', true));
  const stopOnError = config.boolAttr('stop_on_error', true);
  const tests = config.child('tests')?.children() ?? [];
  let ok = 0;
  let failed = 0;
  for (const [i, test] of tests.entries()) {
    let passed: boolean;
    try {
      passed = await tester.run(test, i);
    } catch (e) {
      await log(`Error: test ${i + 1} (${test.type}): ${describeError(e)}`);
      passed = false;
    }
    if (passed) ok++;
    else failed++;
    if (!passed && stopOnError) break;
  }
  await log(`--- all tests finished --- ${ok} ok, ${failed} failed`);
  await env.exit(failed === 0 ? 0 : 1);
}
