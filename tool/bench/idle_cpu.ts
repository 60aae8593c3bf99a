/*
 * CPU use of the idle demo, as the live display runs it: booted until ready, the emulated
 * machine's clock paced to host time (tool/display/live.ts), then nothing happens. The
 * process's CPU time (all threads: linux's workers too) over a while, as a share of one
 * core. An idle loop that spins, or a device that keeps interrupting, shows up here.
 */
import type { KernelBackend } from '../runner/backend.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

/** The target of issue 19: an idle system costs less than this share of one core. */
export const IDLE_TARGET_SHARE = 0.02;

export interface IdleResult {
  kernel: string;
  /** CPU time over wall time, one core = 1 */
  share: number;
  measureMs: number;
  met: boolean;
}

/** The process's CPU time (all threads) over `measureMs` of wall time, after `settleMs`, as a share of one core. */
async function cpuShare(settleMs: number, measureMs: number): Promise<number> {
  await new Promise((r) => setTimeout(r, settleMs));
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
}

export async function idleDemoCpuShare(backend: KernelBackend, measureMs = 5000, settleMs = 2000): Promise<IdleResult> {
  const sc = await loadScenario('demo');
  if (!sc) throw new Error('scenario demo is missing');
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  let ready!: () => void;
  const up = new Promise<void>((r) => (ready = r));
  let end!: (e: { status: 'success'; reason: string }) => void;
  const until = new Promise<{ status: 'success'; reason: string }>((r) => (end = r));
  const run = runScenario(sc, backend, modules, {
    forever: { until, onReady: ready },
    /* as the live display does (linux runs in host time and has no clock to pace) */
    onBoot: (s) => (s.machine as { clock?: { pace?: () => void } } | undefined)?.clock?.pace?.(),
  });
  await up;
  const share = await cpuShare(settleMs, measureMs);
  end({ status: 'success', reason: 'measured' });
  await (await run).system.shutdown();
  return { kernel: backend.name, share, measureMs, met: share < IDLE_TARGET_SHARE };
}

export function idleTable(rows: IdleResult[]): string {
  return rows.map((r) => `${r.kernel.padEnd(8)}${`${(r.share * 100).toFixed(1)} %`.padStart(10)} of one core (target < ${IDLE_TARGET_SHARE * 100} %): ${r.met ? 'met' : 'NOT met'}`).join('\n');
}
