/*
 * Scale: how long one init takes to start N children on a backend, and what each child
 * costs the host (resident memory and heap, measured in this process after garbage
 * collection; linux's workers live in this process too).
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { manyScenario } from '../../os/run/init_many.js';
import type { KernelBackend } from '../runner/backend.js';
import { loadTargets } from '../runner/repositories.js';
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
