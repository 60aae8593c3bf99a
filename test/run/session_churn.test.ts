/*
 * session_churn at full scale: 10^5 open/close cycles at a child server and as many at
 * core on each emulated kernel, booted in this process, so that the host heap can be
 * measured after garbage collection at the scenario's two checkpoints: it must be flat
 * within 1 MB (the scenario itself checks the accounts and capability spaces). Warm-up
 * cycles come first, so code the JIT compiles for the loop is not taken for a leak. The
 * conformance matrix runs the same scenario with fewer cycles; `tool/run --param
 * cycles=100000 session_churn` runs it at this scale on any kernel. The linux backend is
 * left out here: its components' heaps are in worker isolates this process cannot collect.
 * SESSION_CHURN_CYCLES overrides the count.
 */
import test from 'ava';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { churnScenario } from '../../base/run/session_churn.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';

const CYCLES = Number(process.env.SESSION_CHURN_CYCLES ?? 100_000);
const WARMUP = 5000;
const FLAT_BYTES = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

for (const backend of kernelBackends(createContainer()).filter((b) => b.emulated)) {
  test.serial(`session_churn with ${CYCLES} cycles on ${backend.name}: host heap flat after GC`, async (t) => {
    t.timeout(20 * 60_000);
    const sc = churnScenario(CYCLES, WARMUP);
    const modules = await bootModulesFor(sc, await loadTargets(), backend);
    const heap: Record<string, number> = {};
    const r = await runScenario(sc, backend, modules, {
      /* the checkpoints' lines: nothing is in flight while they are written */
      onLine: (line) => {
        const m = /\] (before|after): /.exec(line);
        if (m) heap[m[1]!] = heapAfterGc();
      },
      hostLimitMs: 20 * 60_000,
    });
    await r.system.shutdown();
    t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-20).join('\n')}`);
    const grown = heap.after! - heap.before!;
    t.log(`${backend.name}: heap ${heap.before} -> ${heap.after} bytes after GC (${grown >= 0 ? '+' : ''}${grown}), ${(r.hostMs / 1000).toFixed(1)} s`);
    t.true(Math.abs(grown) < FLAT_BYTES, `the host heap grew by ${grown} bytes over ${CYCLES} cycles`);
  });
}
