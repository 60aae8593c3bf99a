/*
 * Scale: how long one init takes to start N children on a backend, and what each child
 * costs the host (resident memory and heap, measured in this process after garbage
 * collection; linux's workers live in this process too). And what an idle system costs:
 * the demo on an emulated kernel with its clock paced, as the live display runs it.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { manyScenario } from '../../os/run/init_many.js';
import type { KernelBackend } from '../runner/backend.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface ScaleResult {
  kernel: string;
  children: number;
  bootMs: number;
  msPerChild: number;
  rssBytesPerChild: number;
  heapBytesPerChild: number;
}

function memory(): { rss: number; heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

export async function scale(backend: KernelBackend, children: number): Promise<ScaleResult> {
  const sc = manyScenario(children);
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  const before = memory();
  let after = before;
  const r = await runScenario(sc, backend, modules, {
    hostLimitMs: 30 * 60_000,
    /* the last child is up: every child is alive now */
    onLine: (l) => { if (l.endsWith(`c${children - 1}] up`)) after = memory(); },
  });
  await r.system.shutdown();
  if (r.status !== 'success') throw new Error(`init_many with ${children} children on ${backend.name}: ${r.reason}`);
  return {
    kernel: backend.name,
    children,
    bootMs: r.hostMs,
    msPerChild: r.hostMs / children,
    rssBytesPerChild: (after.rss - before.rss) / children,
    heapBytesPerChild: (after.heap - before.heap) / children,
  };
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
  await new Promise((r) => setTimeout(r, 500));
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  const cpu = process.cpuUsage(cpu0);
  const share = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  end({ status: 'success', reason: 'measured' });
  await (await run).system.shutdown();
  return share;
}
