/* Runs ipc_bench on every kernel backend and collects its per-operation results. */
import type { RunningSystem } from '../runner/backend.js';
import { BenchMarkers, type BenchResult } from '../runner/bench_markers.js';
import { createContainer, kernelBackends } from '../runner/container.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

export async function ipcBench(): Promise<BenchResult[]> {
  const sc = await loadScenario('ipc_bench');
  if (!sc) throw new Error('scenario ipc_bench is missing');
  const targets = await loadTargets();
  const results: BenchResult[] = [];
  for (const backend of kernelBackends(createContainer())) {
    const modules = await bootModulesFor(sc, targets, backend);
    let system: RunningSystem | undefined;
    const markers = new BenchMarkers(backend.name, () => system);
    const r = await runScenario(sc, backend, modules, { hostLimitMs: 600_000, onBoot: (s) => (system = s), onLine: (l) => markers.line(l) });
    await r.system.shutdown();
    if (r.status !== 'success') throw new Error(`ipc_bench on ${backend.name}: ${r.status}: ${r.reason}`);
    results.push(...markers.results);
  }
  return results;
}
