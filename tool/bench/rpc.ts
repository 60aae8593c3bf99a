/*
 * Host cost of a null RPC round trip on a kernel backend: runs the rpc_bench scenario with
 * many calls and times its "start"/"done" LOG lines from outside.
 */
import type { Scenario } from '../../base/src/scenario.js';
import type { KernelBackend } from '../runner/backend.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

export interface RpcBenchResult {
  kernel: string;
  calls: number;
  nsPerCall: number;
  /** Emulated cycles per call from the kernel's TSC, where the kernel has one. */
  virtualNsPerCall?: number;
}

/**
 * Calls made before timing starts: a freshly booted component's code runs about eight
 * times slower until V8 has optimized it (about 20 000 calls); the figure wanted is the
 * cost of the IPC path, not of the JIT.
 */
export const WARMUP_CALLS = 60_000;

export async function nullRpcNs(backend: KernelBackend, calls: number, warmup = WARMUP_CALLS): Promise<RpcBenchResult> {
  const base = await loadScenario('rpc_bench');
  if (!base) throw new Error('scenario rpc_bench is missing');
  const sc: Scenario = { ...base, config: base.config.replace(/calls="\d+"/, `calls="${calls}" warmup="${warmup}"`) };
  const modules = await bootModulesFor(sc, await loadTargets());
  let t0 = 0n;
  let t1 = 0n;
  let v0 = 0;
  let v1 = 0;
  let system: { elapsedMs(): number } | undefined;
  const r = await runScenario(sc, backend, modules, {
    hostLimitMs: 600_000,
    onBoot: (s) => (system = s),
    onLine: (line) => {
      if (line.includes('null RPC: start')) { t0 = process.hrtime.bigint(); v0 = system?.elapsedMs() ?? 0; }
      if (line.includes('null RPC: done')) { t1 = process.hrtime.bigint(); v1 = system?.elapsedMs() ?? 0; }
    },
  });
  await r.system.shutdown();
  if (r.status !== 'success' || t1 === 0n) throw new Error(`rpc_bench on ${backend.name}: ${r.status}: ${r.reason}`);
  return {
    kernel: backend.name,
    calls,
    nsPerCall: Number(t1 - t0) / calls,
    virtualNsPerCall: backend.emulated && v1 > v0 ? ((v1 - v0) * 1e6) / calls : undefined,
  };
}
