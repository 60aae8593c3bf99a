/*
 * CPU use of a backend while its system is idle: boot a scenario that ends with every
 * component waiting, then measure the process's CPU time (all threads) over a while.
 * A backend that spins while idle shows up as a high share.
 */
import type { KernelBackend } from '../runner/backend.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

/** The process's CPU time (all threads) over `measureMs` of wall time, after 500 ms to settle, as a share of one core. */
async function cpuShare(measureMs: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 500));
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
}

export async function idleCpuShare(backend: KernelBackend, measureMs = 3000): Promise<number> {
  const sc = await loadScenario('init_nested');
  if (!sc) throw new Error('scenario init_nested is missing');
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  let booted!: () => void;
  const idle = new Promise<void>((r) => (booted = r));
  const system = backend.boot({ modules, ramMiB: sc.ramMiB ?? 64, log: (l) => { if (l.includes('child "deep" exited')) booted(); } });
  await idle;
  const share = await cpuShare(measureMs);
  await system.shutdown();
  return share;
}

/** CPU share of one core while the demo idles on an emulated kernel with a paced clock (the live display's mode). */
export async function pacedIdleCpuShare(backend: KernelBackend, measureMs = 3000): Promise<number> {
  const sc = await loadScenario('demo');
  if (!sc) throw new Error('scenario demo is missing');
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  let ready!: () => void;
  const up = new Promise<void>((r) => (ready = r));
  let end!: (e: { status: 'success'; reason: string }) => void;
  const until = new Promise<{ status: 'success'; reason: string }>((r) => (end = r));
  const run = runScenario(sc, backend, modules, {
    forever: { until, onReady: ready },
    onBoot: (s) => (s.machine as { clock: { pace?: () => void } }).clock.pace?.(),
  });
  await up;
  const share = await cpuShare(measureMs);
  end({ status: 'success', reason: 'measured' });
  await (await run).system.shutdown();
  return share;
}
