import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT, type Scenario } from '../../base/src/scenario.js';

/** What one child of the wide part gets: its PD, CPU, binary and config ROMs, the Reload_test session. */
export const SCALE_CHILD_RAM_KIB = 96;
export const SCALE_CHILD_CAPS = 16;
/** Per nested init: its own needs on top of what it passes down (RAM KiB, caps). */
const NESTED_INIT_RAM_KIB = 1024;
const NESTED_INIT_CAPS = 120;
const LEAF_RAM_KIB = 256;
const LEAF_CAPS = 40;

export interface ScaleShape {
  /** Children side by side under the measured init ("c0" ...). */
  children: number;
  /** Inits nested below the measured init ("l1" holds "l2" ... holds the leaf "leaf"); 0: none. */
  depth: number;
}

const reloadChild = (name: string, ramKiB: number, caps: number) =>
  `<start name="${name}" ram="${ramKiB}K" caps="${caps}"><binary name="test-reload_child"/><config name="${name}" value="1"/></start>`;

/** An init `levels` deep below here, the leaf at the bottom; RAM KiB and caps it needs. */
function chain(level: number, depth: number): { start: string; ramKiB: number; caps: number } {
  if (level > depth) return { start: reloadChild('leaf', LEAF_RAM_KIB, LEAF_CAPS), ramKiB: LEAF_RAM_KIB, caps: LEAF_CAPS };
  const below = chain(level + 1, depth);
  const ramKiB = below.ramKiB + NESTED_INIT_RAM_KIB;
  const caps = below.caps + NESTED_INIT_CAPS;
  return {
    ramKiB, caps,
    start: `<start name="l${level}" ram="${ramKiB}K" caps="${caps}"><binary name="init"/><config>${parentProvides(['Reload_test'])}${DEFAULT_ROUTE_TO_PARENT}${below.start}</config></start>`,
  };
}

const initConfig = (version: number, starts: string) =>
  `<config verbose="yes" version="${version}">${parentProvides(['Reload_test'])}${DEFAULT_ROUTE_TO_PARENT}${starts}</config>`;

/**
 * One init ("sub") whose config test-reload_driver serves in three versions: empty, then
 * `children` children side by side and a chain of `depth` inits nested one in the other
 * with a leaf at the bottom, then empty again. Every child (the wide ones and the leaf)
 * says hello, so version 1 is complete when all are alive. sub reports what it has free
 * after each version: after version 2 every byte of RAM and every cap it gave must be back
 * (tool/bench/scale.ts compares the reports of versions 0 and 2).
 */
export function scaleScenario(shape: ScaleShape): Scenario {
  const { children, depth } = shape;
  const wide: string[] = [];
  const expect: string[] = [];
  for (let i = 0; i < children; i++) {
    wide.push(reloadChild(`c${i}`, SCALE_CHILD_RAM_KIB, SCALE_CHILD_CAPS));
    expect.push(`c${i}:1`);
  }
  const nested = depth > 0 ? chain(1, depth) : undefined;
  if (nested) expect.push('leaf:1');
  /* what sub passes on, plus about 160 KiB of environment sessions per child and its own share */
  const subRamKiB = children * (SCALE_CHILD_RAM_KIB + 160) + (nested ? nested.ramKiB + depth * 160 : 0) + 4096;
  const subCaps = children * (SCALE_CHILD_CAPS + 20) + (nested ? nested.caps + depth * 20 : 0) + 300;
  const driverCaps = 100 + 4 * (children + 1);
  const ramMiB = Math.max(64, Math.ceil(subRamKiB / 1024 + (children * 160) / 1024) + 64);
  return scenario({
    description: `${children} children side by side and ${depth} inits nested below one init, started by a config update and removed by the next; all quota returns`,
    modules: ['test-reload_driver', 'test-reload_child'],
    ramMiB,
    config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="driver" caps="${driverCaps}" ram="${2048 + children}K">
    <binary name="test-reload_driver"/>
    <provides><service name="ROM"/><service name="Reload_test"/></provides>
    <config>
      <version>${initConfig(0, '')}</version>
      <version expect="${expect.join(' ')}">${initConfig(1, wide.join('') + (nested?.start ?? ''))}</version>
      <version>${initConfig(2, '')}</version>
    </config>
  </start>
  <start name="sub" caps="${subCaps}" ram="${subRamKiB}K">
    <binary name="init"/>
    <route>
      <service name="ROM" label="config"><child name="driver"/></service>
      <service name="Reload_test"><child name="driver"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
    succeed: [/--- reload test finished ---/, /\[init -> sub\] config version "2": 0 children, ram \d+ of \d+ free/],
    fail: ERROR_LINE,
    /* a quarter second per component: on linux (host time) 1000 children took 136-160 s to boot, reload and tear down on a 2-core VM */
    timeout: `${60 + Math.ceil((children + 10 * depth) / 4)}s`,
  });
}

export default scaleScenario({ children: 10, depth: 10 });

/** tool/run --param children=1000 --param depth=0 init_scale */
export function configure(params: Record<string, string>): Scenario {
  for (const name of Object.keys(params)) if (name !== 'children' && name !== 'depth') throw new Error(`init_scale has no parameter "${name}" (children, depth)`);
  const count = (name: string, v: string, max: number) => {
    if (!/^\d{1,6}$/.test(v) || Number(v) > max) throw new Error(`init_scale: ${name}=${v} is not a count from 0 to ${max}`);
    return Number(v);
  };
  const children = count('children', params.children ?? '10', 100_000);
  const depth = count('depth', params.depth ?? '10', 64);
  if (children + depth === 0) throw new Error('init_scale: children=0 and depth=0 leave nothing to start');
  return scaleScenario({ children, depth });
}
