import { scenario, parentProvides, type Scenario } from '../../base/src/scenario.js';

/** Children the conformance matrix starts (twice per emulated kernel); test/run/init_many.test.ts starts 10^4. */
export const MATRIX_CHILDREN = 50;

/** What one child gets: enough for its PD, CPU, binary ROM, config ROM and LOG session. */
export const CHILD_RAM_KIB = 64;
export const CHILD_CAPS = 12;

/**
 * `children` children under one init, all alive at once: each logs "up" and waits. init
 * reports its account after starting them; a last child started after all others logs
 * through the same LOG service, so every earlier one had its turn. The machine's RAM and
 * init's caps are sized to fit.
 */
export function manyScenario(children: number): Scenario {
  const starts: string[] = [];
  for (let i = 0; i < children; i++) {
    starts.push(`<start name="c${i}" caps="${CHILD_CAPS}" ram="${CHILD_RAM_KIB}K"><binary name="test-exit"/><config action="idle"/></start>`);
  }
  /* per child: its quantum, about 66 KiB of environment sessions init pays, and the kernel's eighth */
  const ramMiB = Math.max(64, Math.ceil((children * (CHILD_RAM_KIB + 160)) / 1024) + 64);
  return scenario({
    description: `${children} children under one init, all alive at once`,
    modules: ['test-exit'],
    ramMiB,
    config: `<config verbose="yes">
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  ${starts.join('\n  ')}
</config>`,
    succeed: [new RegExp(`\\[init\\] config version "": ${children} children, `), new RegExp(`\\[init -> c${children - 1}\\] up`)],
    fail: /\] Error: |exited with exit value/,
    /* linux starts a host worker per child: about 0.25 s of CPU each */
    timeout: `${60 + Math.ceil(children / 3)}s`,
  });
}

export default manyScenario(MATRIX_CHILDREN);

/** tool/run --param children=10000 init_many */
export function configure(params: Record<string, string>): Scenario {
  for (const name of Object.keys(params)) if (name !== 'children') throw new Error(`init_many has no parameter "${name}" (children)`);
  const v = params.children ?? String(MATRIX_CHILDREN);
  if (!/^[1-9]\d{0,5}$/.test(v)) throw new Error(`init_many: children=${v} is not a count from 1 to 999999`);
  return manyScenario(Number(v));
}
