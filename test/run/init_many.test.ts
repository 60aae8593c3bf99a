/*
 * init_many at full scale: 10^4 children under one init, all alive at once, on each
 * kernel that can hold them; on those that cannot, the first child beyond the kernel's
 * limit is refused early with an error that names the limit, while the children started
 * before it keep running. okl4 holds 8191 PDs (13 bits of space number in its thread IDs,
 * doc/kernels.md) and starts 10^3 here (its exhaustion error is tested in
 * test/okl4/space_limit.test.ts); linux runs every component in a host worker thread, so
 * its limit follows host memory (lowered here for the refusal, to keep that test short);
 * linux also boots LINUX_CHILDREN children at its default limit (`npm run bench` boots
 * 1000, the scale table).
 * INIT_MANY_CHILDREN and INIT_MANY_LINUX_CHILDREN override the counts (OKL4_CHILDREN okl4's).
 */
import test from 'ava';
import { manyScenario } from '../../os/run/init_many.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';
import { scenario, type Scenario } from '../../base/src/scenario.js';
import type { KernelBackend } from '../../tool/runner/backend.js';
import { Okl4Backend } from '../../tool/runner/okl4_backend.js';

const CHILDREN = Number(process.env.INIT_MANY_CHILDREN ?? 10_000);
const OKL4_CHILDREN = Number(process.env.INIT_MANY_CHILDREN ?? 1000);
const LINUX_LIMIT = 24;
/* about 0.25 s of host CPU per worker: 1000 take about 4 minutes on 2 cores, the bench boots those */
const LINUX_CHILDREN = Number(process.env.INIT_MANY_LINUX_CHILDREN ?? 200);

async function run(t: { timeout: (ms: number) => void }, backend: KernelBackend, sc: Scenario) {
  t.timeout(30 * 60_000);
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  const r = await runScenario(sc, backend, modules, { hostLimitMs: 30 * 60_000 });
  await r.system.shutdown();
  return r;
}

/** The scenario, expecting the kernel's limit to refuse child `first` and every one after it. */
function refusedFrom(children: number, first: number, limit: RegExp): Scenario {
  const base = manyScenario(children);
  return scenario({
    ...base,
    succeed: [
      new RegExp(`\\[init\\] Error: start "c${first}" failed: .*${limit.source}`),
      new RegExp(`\\[init -> c${first - 1}\\] up`),
      new RegExp(`\\[init\\] config version "": ${first} children, `),
    ],
    fail: /\[init -> c\d+\] Error: |exited with exit value|\[core\] Error: /,
  });
}

const backends = kernelBackends(createContainer({ maxComponents: LINUX_LIMIT }));

for (const backend of backends) {
  if (!backend.emulated) {
    test.serial(`init_many on ${backend.name}: the child beyond the component limit is refused, naming it`, async (t) => {
      /* init is one of the components */
      const r = await run(t, backend, refusedFrom(LINUX_LIMIT + 8, LINUX_LIMIT - 1, new RegExp(`beyond the limit of ${LINUX_LIMIT}`)));
      t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-10).join('\n')}`);
    });
    test.serial(`init_many with ${LINUX_CHILDREN} children on ${backend.name}: all alive at once, a worker each`, async (t) => {
      const wide = kernelBackends(createContainer()).find((b) => b.name === backend.name)!;
      const r = await run(t, wide, manyScenario(LINUX_CHILDREN));
      t.is(r.status, 'success', `${r.reason}\n${r.output.filter((l) => !l.endsWith('] up')).slice(-10).join('\n')}`);
      t.log(`${backend.name}: ${LINUX_CHILDREN} children in ${(r.hostMs / 1000).toFixed(1)} s`);
    });
  } else {
    const children = backend.name === 'okl4' ? OKL4_CHILDREN : CHILDREN;
    test.serial(`init_many with ${children} children on ${backend.name}: all alive at once`, async (t) => {
      const r = await run(t, backend, manyScenario(children));
      t.is(r.status, 'success', `${r.reason}\n${r.output.filter((l) => !l.endsWith('] up')).slice(-10).join('\n')}`);
      t.log(`${backend.name}: ${children} children in ${(r.hostMs / 1000).toFixed(1)} s`);
    });
  }
  if (backend instanceof Okl4Backend) {
    test.serial(`init_many on okl4 with a kernel space table of 32: the 31st child is refused, naming the limit`, async (t) => {
      /* space 0 is core's, space 1 init's: children c0..c29 get the other 30 */
      backend.kernelOptions = { maxSpaces: 32 };
      const r = await run(t, backend, refusedFrom(40, 30, /all 31 space IDs are in use \(the kernel's space table has 32 entries; space 0 is core's\)/))
        .finally(() => { backend.kernelOptions = {}; });
      t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-10).join('\n')}`);
    });
  }
}
