/*
 * CPU use of a backend while its system is idle: boot a scenario that ends with every
 * component waiting, then measure the process's CPU time (all threads) over a while.
 * A backend that spins while idle shows up as a high share.
 */
import type { KernelBackend } from '../runner/backend.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor } from '../runner/run_scenario.js';

export async function idleCpuShare(backend: KernelBackend, measureMs = 3000): Promise<number> {
  const sc = await loadScenario('init_nested');
  if (!sc) throw new Error('scenario init_nested is missing');
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  let booted!: () => void;
  const idle = new Promise<void>((r) => (booted = r));
  const system = backend.boot({ modules, ramMiB: sc.ramMiB ?? 64, log: (l) => { if (l.includes('child "deep" exited')) booted(); } });
  await idle;
  await new Promise((r) => setTimeout(r, 500)); // let the exit settle
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  const cpu = process.cpuUsage(cpu0);
  const share = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  await system.shutdown();
  return share;
}
