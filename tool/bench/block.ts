/*
 * Block throughput on every kernel backend: runs the block_bench scenario, reads host time,
 * virtual time and the kernel's counters at its "bench" markers, and its "counts" lines
 * (what the client's Block connection did). Throughput is given in MiB/s and as a ratio to
 * a memcpy of the same bytes measured in the same run, by host time and, on the emulated
 * kernels, by virtual time.
 */
import type { KernelBackend, RunningSystem } from '../runner/backend.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

const MARKER = /\] bench (\S+) (start|done) (\d+)$/;
const COUNTS = /\] counts (\S+) requests:(\d+) bytes:(\d+) packets:(\d+) rpcs:(\d+) signals_sent:(\d+) signals_received:(\d+)$/;
const RUN = /^blk-(\w+)-(rd|wr)-(\d+)k-qd(\d+)$/;
const FLOOR = /^memcpy-(\d+)k$/;

export interface BlockBenchRow {
  kernel: string;
  device: string;
  op: 'read' | 'write';
  size: number;
  depth: number;
  requests: number;
  /** Host-time throughput and its ratio to the memcpy floor's throughput (floor / this: how many memcpys one request costs). */
  hostMiBs: number;
  hostXMemcpy: number;
  /** The same by virtual time (emulated kernels only). */
  virtualMiBs?: number;
  virtualXMemcpy?: number;
  /** Per request: packets, RPCs on the session and signals sent / received by the client. */
  packets: number;
  rpcs: number;
  signalsSent: number;
  signalsReceived: number;
  /** Per request: kernel entries in the whole system (all components, emulated kernels only). */
  syscalls?: number;
}

export interface MemcpyFloor { kernel: string; size: number; hostMiBs: number; virtualMiBs?: number }

export interface BlockBenchResult { rows: BlockBenchRow[]; floors: MemcpyFloor[] }

interface Mark { hostNs: bigint; virtualMs: number; syscalls?: number }
interface Span { hostNs: number; virtualMs: number; syscalls?: number; iterations: number }

const mib = (bytes: number, ns: number) => (ns > 0 ? bytes / 2 ** 20 / (ns / 1e9) : 0);

export interface BlockBenchOptions {
  /** Requests per run (the scenario's own are few, for the conformance matrix). */
  requests4k?: number;
  requests64k?: number;
  warmup?: number;
}

export async function blockBench(backends: KernelBackend[], opts: BlockBenchOptions = {}): Promise<BlockBenchResult> {
  const base = await loadScenario('block_bench');
  if (!base) throw new Error('scenario block_bench is missing');
  let config = base.config;
  if (opts.requests4k !== undefined) config = config.replace(/requests_4k="\d+"/, `requests_4k="${opts.requests4k}"`);
  if (opts.requests64k !== undefined) config = config.replace(/requests_64k="\d+"/, `requests_64k="${opts.requests64k}"`);
  if (opts.warmup !== undefined) config = config.replace(/warmup="\d+"/, `warmup="${opts.warmup}"`);
  /* the scenario's patterns name its own request counts; the bench only needs it to finish */
  const sc = { ...base, config, patterns: base.patterns.filter((p) => !/requests:/.test(p.source)) };
  const targets = await loadTargets();
  const result: BlockBenchResult = { rows: [], floors: [] };
  for (const backend of backends) {
    const modules = await bootModulesFor(sc, targets, backend);
    let system: RunningSystem | undefined;
    const open = new Map<string, Mark>();
    const spans = new Map<string, Span>();
    const counts = new Map<string, number[]>();
    const mark = (): Mark => ({ hostNs: process.hrtime.bigint(), virtualMs: system?.elapsedMs() ?? 0, syscalls: system?.stats()?.syscall });
    const r = await runScenario(sc, backend, modules, {
      hostLimitMs: 300_000,
      onBoot: (s) => (system = s),
      onLine: (line) => {
        const m = MARKER.exec(line);
        if (m) {
          const [, op, what, n] = m;
          if (what === 'start') open.set(op!, mark());
          const start = open.get(op!);
          if (what === 'done' && start) {
            const end = mark();
            spans.set(op!, {
              hostNs: Number(end.hostNs - start.hostNs), virtualMs: end.virtualMs - start.virtualMs, iterations: Number(n),
              syscalls: start.syscalls !== undefined && end.syscalls !== undefined ? end.syscalls - start.syscalls : undefined,
            });
          }
          return;
        }
        const c = COUNTS.exec(line);
        if (c) counts.set(c[1]!, c.slice(2).map(Number));
      },
    });
    await r.system.shutdown();
    if (r.status !== 'success') throw new Error(`block_bench on ${backend.name}: ${r.status}: ${r.reason}`);
    const floors = new Map<number, MemcpyFloor>();
    for (const [op, s] of spans) {
      const f = FLOOR.exec(op);
      if (!f) continue;
      const size = Number(f[1]) * 1024;
      const bytes = size * s.iterations;
      const floor: MemcpyFloor = { kernel: backend.name, size, hostMiBs: mib(bytes, s.hostNs) };
      if (backend.emulated) floor.virtualMiBs = mib(bytes, s.virtualMs * 1e6);
      floors.set(size, floor);
      result.floors.push(floor);
    }
    for (const [op, s] of spans) {
      const m = RUN.exec(op);
      if (!m) continue;
      const c = counts.get(op);
      if (!c) throw new Error(`block_bench on ${backend.name}: no counts line for ${op}`);
      const [requests, bytes, packets, rpcs, sent, received] = c as [number, number, number, number, number, number];
      const size = Number(m[3]) * 1024;
      const floor = floors.get(size);
      if (!floor) throw new Error(`block_bench on ${backend.name}: no memcpy floor for ${size} bytes`);
      const row: BlockBenchRow = {
        kernel: backend.name, device: m[1]!, op: m[2] === 'rd' ? 'read' : 'write', size, depth: Number(m[4]), requests,
        hostMiBs: mib(bytes, s.hostNs), hostXMemcpy: 0,
        packets: packets / requests, rpcs: rpcs / requests, signalsSent: sent / requests, signalsReceived: received / requests,
      };
      row.hostXMemcpy = floor.hostMiBs / row.hostMiBs;
      if (backend.emulated) {
        row.virtualMiBs = mib(bytes, s.virtualMs * 1e6);
        row.virtualXMemcpy = floor.virtualMiBs! / row.virtualMiBs;
      }
      if (s.syscalls !== undefined) row.syscalls = s.syscalls / requests;
      result.rows.push(row);
    }
  }
  return result;
}

/** The table: one row per kernel, device, operation, request size and queue depth. */
export function blockBenchTable(r: BlockBenchResult): string {
  const out: string[] = [];
  const widths = [8, 7, 6, 5, 4, 11, 10, 12, 11, 7, 10, 10];
  const row = (c: string[]) => out.push(c.map((x, i) => (i < 5 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join(''));
  row(['kernel', 'device', 'op', 'size', 'qd', 'host MiB/s', 'x memcpy', 'virt MiB/s', 'x memcpy', 'RPCs', 'signals', 'syscalls']);
  const fmt = (x: number | undefined, d = 1) => (x === undefined ? '-' : x >= 1000 ? x.toFixed(0) : x.toFixed(d));
  for (const x of r.rows) {
    row([x.kernel, x.device, x.op, `${x.size / 1024}K`, String(x.depth), fmt(x.hostMiBs), fmt(x.hostXMemcpy), fmt(x.virtualMiBs), fmt(x.virtualXMemcpy),
      x.rpcs.toFixed(2), (x.signalsSent + x.signalsReceived).toFixed(2), fmt(x.syscalls)]);
  }
  out.push('');
  out.push('memcpy floors (same run): ' + r.floors.map((f) => `${f.kernel} ${f.size / 1024}K ${fmt(f.hostMiBs, 0)} MiB/s host${f.virtualMiBs !== undefined ? `, ${fmt(f.virtualMiBs, 0)} MiB/s virtual` : ''}`).join('; '));
  out.push('x memcpy: how many times longer a request takes than copying its bytes once. RPCs and signals: per request, by the client\'s connection');
  out.push('(sent + received). syscalls: per request, kernel entries of the whole system (client, server, driver, timer).');
  return out.join('\n');
}
