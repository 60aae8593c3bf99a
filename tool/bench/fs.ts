/*
 * File throughput through a File_system session as a ratio to the Block throughput beneath
 * it, measured in the same run: the fs_bench scenario writes and reads 4 MiB as a file
 * (vfs server, <fat/> on ram_block) and as Block requests to a ram_block, between "bench"
 * markers that BenchMarkers times (host ns and emulated cycles per byte).
 */
import type { KernelBackend, RunningSystem } from '../runner/backend.js';
import { BenchMarkers } from '../runner/bench_markers.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

export interface FsBenchRow {
  kernel: string;
  op: 'write' | 'read';
  /** Host-time throughput of the file and of the Block session beneath. */
  fsHostMiBs: number;
  blockHostMiBs: number;
  /** How many times longer the file operation took than the Block requests, by host time. */
  hostXBlock: number;
  /** The same by the emulated kernel's cycles. */
  cyclesXBlock?: number;
}

const mibs = (nsPerByte: number) => (nsPerByte > 0 ? 1e9 / nsPerByte / 2 ** 20 : 0);

export async function fsBench(backends: KernelBackend[]): Promise<FsBenchRow[]> {
  const sc = await loadScenario('fs_bench');
  if (!sc) throw new Error('scenario fs_bench is missing');
  const targets = await loadTargets();
  const rows: FsBenchRow[] = [];
  for (const backend of backends) {
    const modules = await bootModulesFor(sc, targets, backend);
    let system: RunningSystem | undefined;
    const markers = new BenchMarkers(backend.name, () => system);
    const r = await runScenario(sc, backend, modules, { hostLimitMs: 300_000, onBoot: (s) => (system = s), onLine: (l) => { markers.line(l); } });
    await r.system.shutdown();
    if (r.status !== 'success') throw new Error(`fs_bench on ${backend.name}: ${r.status}: ${r.reason}`);
    const get = (op: string) => {
      const x = markers.results.find((m) => m.op === op);
      if (!x) throw new Error(`fs_bench on ${backend.name}: no "${op}" markers`);
      return x;
    };
    for (const [op, fsOp, blkOp] of [['write', 'fs-wr', 'blk-wr'], ['read', 'fs-rd', 'blk-rd']] as const) {
      const f = get(fsOp), b = get(blkOp);
      const row: FsBenchRow = { kernel: backend.name, op, fsHostMiBs: mibs(f.hostNs), blockHostMiBs: mibs(b.hostNs), hostXBlock: f.hostNs / b.hostNs };
      if (f.cycles !== undefined && b.cycles !== undefined && b.cycles > 0) row.cyclesXBlock = f.cycles / b.cycles;
      rows.push(row);
    }
  }
  return rows;
}

export function fsBenchTable(rows: FsBenchRow[]): string {
  const w = [8, 6, 14, 16, 12, 14];
  const line = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('');
  const out = [line(['kernel', 'op', 'file MiB/s', 'Block MiB/s', 'x Block', 'x Block (cyc)'])];
  for (const r of rows) {
    out.push(line([r.kernel, r.op, r.fsHostMiBs.toFixed(1), r.blockHostMiBs.toFixed(1), r.hostXBlock.toFixed(2), r.cyclesXBlock?.toFixed(2) ?? '-']));
  }
  out.push('4 MiB in 64 KiB requests, 16 in flight: a file through the vfs server (<fat/> on ram_block) against Block requests to');
  out.push('a ram_block, same run. x Block: how many times longer the file took (host time; emulated cycles where the kernel has them:');
  out.push('they charge user code per metered tick, not per byte copied, so the Block side is nearly free there and the ratio is large).');
  return out.join('\n');
}
