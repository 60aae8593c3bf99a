/*
 * The cost-model part of `tool/run --breakdown ipc_bench`: per emulated kernel, its published
 * figures predicted on their own CPUs with the error, and the null RPC of this run priced on
 * the common profile (kernel and user-level cycles apart), which is what says which IPC path
 * is cheaper.
 */
import { COMMON_PROFILE } from '../../base/src/cost/hardware_profiles.js';
import type { BenchResult } from '../runner/bench_markers.js';
import { KERNEL_RECIPES } from './kernel_recipes.js';
import { NULL_RPC_COUNTS } from './published_figures.js';
import { predictions } from './predictions.js';

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(0)} %`;

export function costReport(results: BenchResult[]): string {
  const nulls = results.filter((r) => r.op === 'null' && r.kernel in KERNEL_RECIPES && r.counts && r.cycles !== undefined);
  if (nulls.length === 0) return '';
  const out: string[] = [];
  out.push('published IPC figures, predicted from counted operations on the publication\'s own CPU (core cycles):');
  out.push(`${'kernel'.padEnd(8)}${'figure'.padEnd(42)}${'profile'.padEnd(20)}${'predicted'.padStart(10)}${'published'.padStart(10)}${'error'.padStart(8)}`);
  for (const r of nulls) {
    for (const p of predictions().filter((x) => x.figure.kernel === r.kernel)) {
      const pub = p.figure.published.unit === 'TSC ticks' ? `${p.figure.coreCycles}*` : `${p.figure.coreCycles}`;
      out.push(`${r.kernel.padEnd(8)}${p.figure.what.padEnd(42)}${p.profile.id.padEnd(20)}${p.predicted.toFixed(0).padStart(10)}${pub.padStart(10)}${signed(p.errorPercent).padStart(8)}`);
    }
    /* the predictions use the null RPC's counts as data; say whether this run counted the same */
    const expected = NULL_RPC_COUNTS[r.kernel as keyof typeof NULL_RPC_COUNTS];
    const counted = Object.fromEntries(Object.entries(r.counts!).filter(([k, v]) => k !== 'userCycles' && v > 0).map(([k, v]) => [k, Math.round(v * 100) / 100]));
    /* to two decimals: the odd background operation during thousands of iterations is not the path */
    const same = Object.keys({ ...expected, ...counted }).every((k) => Math.abs((expected[k] ?? 0) - (counted[k] ?? 0)) < 0.01);
    if (!same) out.push(`${''.padEnd(8)}note: this run counted ${JSON.stringify(counted)} for a null RPC, the predictions assume ${JSON.stringify(expected)}`);
  }
  out.push('* L4Re publishes TSC ticks; its unhalted core-clock column is used (about 3.56 core cycles per TSC tick on the N100)');
  out.push('');
  out.push(`null RPC on the common profile: ${COMMON_PROFILE.cpu} (cycles per round trip):`);
  out.push(`${'kernel'.padEnd(8)}${'kernel'.padStart(10)}${'one-way'.padStart(10)}${'user'.padStart(10)}${'total'.padStart(10)}${'x cheapest kernel path'.padStart(24)}`);
  const kernelCycles = (r: BenchResult) => r.cycles! - (r.counts!.userCycles ?? 0);
  const cheapest = Math.min(...nulls.map(kernelCycles));
  for (const r of [...nulls].sort((a, b) => kernelCycles(a) - kernelCycles(b))) {
    const k = kernelCycles(r);
    out.push(`${r.kernel.padEnd(8)}${k.toFixed(0).padStart(10)}${(k / 2).toFixed(0).padStart(10)}${(r.counts!.userCycles ?? 0).toFixed(0).padStart(10)}${r.cycles!.toFixed(0).padStart(10)}${(k / cheapest).toFixed(2).padStart(24)}`);
  }
  out.push('user: the client\'s and server\'s metered library code (marshalling, dispatch, IPC glue), 20 cycles per function entry or loop iteration');
  return out.join('\n');
}
