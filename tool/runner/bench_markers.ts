/*
 * Benchmark markers: a component logs "bench <op> start N" and "bench <op> done N" around N
 * iterations; at each marker the runner reads the kernel's TSC, its operation counts and the
 * host clock. The component reads no clock, so its output stays deterministic.
 */
import type { RunningSystem } from './backend.js';

const MARKER = /\] bench (\S+) (start|done) (\d+)$/;
const UNSUPPORTED = /\] bench (\S+) unsupported: (.*)$/;

export interface BenchResult {
  kernel: string;
  op: string;
  iterations: number;
  /** Emulated cycles per iteration (from the kernel's TSC), where the kernel has one. */
  cycles?: number;
  hostNs: number;
  /** Kernel operations per iteration, by kind. */
  counts?: Record<string, number>;
  /** Why the kernel cannot do the operation (e.g. the payload exceeds its message registers). */
  unsupported?: string;
}

interface Mark { host: bigint; cycles?: number; counts?: Record<string, number> }

export class BenchMarkers {
  readonly results: BenchResult[] = [];
  private readonly open = new Map<string, Mark>();

  constructor(private readonly kernel: string, private readonly system: () => RunningSystem | undefined) {}

  /** Feed every output line; returns true if it was a marker. */
  line(text: string): boolean {
    const u = UNSUPPORTED.exec(text);
    if (u) {
      this.results.push({ kernel: this.kernel, op: u[1]!, iterations: 0, hostNs: 0, unsupported: u[2]! });
      return true;
    }
    const m = MARKER.exec(text);
    if (!m) return false;
    const sys = this.system();
    const mark: Mark = { host: process.hrtime.bigint(), cycles: sys?.cycles?.(), counts: sys?.stats() };
    const [, op, what, n] = m;
    if (what === 'start') {
      this.open.set(op!, mark);
      return true;
    }
    const start = this.open.get(op!);
    if (!start) return true;
    const iterations = Number(n);
    const result: BenchResult = { kernel: this.kernel, op: op!, iterations, hostNs: Number(mark.host - start.host) / iterations };
    if (start.cycles !== undefined && mark.cycles !== undefined) result.cycles = (mark.cycles - start.cycles) / iterations;
    if (start.counts && mark.counts) {
      result.counts = Object.fromEntries(Object.keys(mark.counts).map((k) => [k, (mark.counts![k]! - (start.counts![k] ?? 0)) / iterations]));
    }
    this.results.push(result);
    return true;
  }
}

/** The table over kernels and operations: cycles, host ns, and ratios to the fastest kernel. */
export function benchTable(results: BenchResult[], breakdown: boolean): string {
  const ops = [...new Set(results.map((r) => r.op))];
  const out: string[] = [];
  const row = (c: string[]) => out.push(c.map((x, i) => (i < 2 ? x.padEnd(i === 0 ? 12 : 8) : x.padStart(14))).join(''));
  row(['operation', 'kernel', 'cycles', 'x fastest', 'host ns', 'x fastest']);
  for (const op of ops) {
    const rs = results.filter((r) => r.op === op);
    const ok = rs.filter((r) => !r.unsupported);
    const minCycles = Math.min(...ok.filter((r) => r.cycles !== undefined).map((r) => r.cycles!));
    const minNs = Math.min(...ok.map((r) => r.hostNs));
    for (const r of rs) {
      if (r.unsupported) {
        row([op, r.kernel, '-', '', '-', '', ]);
        out.push(`${''.padEnd(20)}unsupported: ${r.unsupported}`);
        continue;
      }
      row([op, r.kernel, r.cycles?.toFixed(0) ?? '-', r.cycles !== undefined ? (r.cycles / minCycles).toFixed(2) : '',
        r.hostNs.toFixed(0), (r.hostNs / minNs).toFixed(2)]);
      if (breakdown && r.counts) {
        const { userCycles, ...ops } = r.counts;
        const parts = Object.entries(ops).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(2)}`);
        out.push(`${''.padEnd(20)}per iteration: ${parts.join(', ')}`);
        /* metered user-level code next to the kernel's own work */
        if (userCycles !== undefined && r.cycles !== undefined) {
          out.push(`${''.padEnd(20)}cycles per iteration: user ${userCycles.toFixed(0)}, kernel ${(r.cycles - userCycles).toFixed(0)}`);
        }
      }
    }
  }
  return out.join('\n');
}
