/*
 * Crash containment on linux: a component that throws outside construct, one whose worker
 * exits, one that spins forever. Each is reported as "[label] Error: ...", its parent
 * (init) learns that it exited, tears it down and gets its quota back; the others go on.
 * Also: forged and revoked capabilities inside a real component.
 */
import test from 'ava';
import { BootModules } from '../../base/src/core/boot_modules.js';
import { parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';
import { bootLinux } from '../../base-linux/src/core/boot.js';
import { loadTargets } from '../../tool/runner/repositories.js';

const fixture = (name: string) => new URL(`./fixtures/${name}.js`, import.meta.url).href;

async function boot(config: string, binaries: Record<string, string>, until: (lines: string[]) => boolean, watchdogMs = 5000) {
  const targets = await loadTargets();
  const modules = new BootModules();
  modules.addBinary('init', targets.get('init')!);
  for (const [name, url] of Object.entries(binaries)) modules.addBinary(name, url);
  modules.addData('config', config);
  const lines: string[] = [];
  const sys = bootLinux(modules, (l) => lines.push(l), { watchdogMs });
  const deadline = performance.now() + 30_000;
  while (!until(lines) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { lines, sys };
}

const start = (name: string, binary: string, ram = '1M') =>
  `<start name="${name}" caps="50"><binary name="${binary}"/><resource name="RAM" quantum="${ram}"/></start>`;

test('crashing, exiting and spinning components are reported, exited on their behalf and torn down', async (t) => {
  const config = `<config>${parentProvides()}${DEFAULT_ROUTE_TO_PARENT}
    ${start('crash', 'lx-crash')}${start('exiter', 'lx-exiter')}${start('spinner', 'lx-spinner')}${start('test-log', 'test-log')}
  </config>`;
  const targets = await loadTargets();
  const exited = (name: string) => (l: string) => l.startsWith(`[init] child "${name}" exited with exit value`);
  const { lines, sys } = await boot(config, {
    'lx-crash': fixture('crash'), 'lx-exiter': fixture('exiter'), 'lx-spinner': fixture('spinner'), 'test-log': targets.get('test-log')!,
  }, (ls) => ['crash', 'exiter', 'spinner', 'test-log'].every((n) => ls.some(exited(n))), 1000);
  try {
    const text = lines.join('\n');
    t.regex(text, /\[init -> crash\] Error: uncaught Error: boom/);
    t.regex(text, /\[init\] child "crash" exited with exit value -1/);
    /* a component has no process to exit: the attempt is its crash */
    t.regex(text, /\[init -> exiter\] Error: uncaught (ReferenceError|TypeError): .*(process|exit)/);
    t.regex(text, /\[init\] child "exiter" exited with exit value -1/);
    t.regex(text, /\[init -> spinner\] Error: no heartbeat for \d+ ms \(spinning\?\), terminated by the watchdog/);
    t.regex(text, /\[init\] child "spinner" exited with exit value -1/);
    /* the healthy one is not disturbed */
    t.regex(text, /\[init -> test-log\] Test done\./);
    t.regex(text, /\[init\] child "test-log" exited with exit value 0/);
    /* init tore every child down: their PDs are gone (a PD's destruction returns its quota) */
    const deadline = performance.now() + 10_000;
    while (sys.platform.stats().pds > 1 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const s = sys.platform.stats();
    t.is(s.pds, 1, JSON.stringify(s));
    t.is(s.workersRunning, 1);
    t.is(s.crashes, 2);
    t.is(s.watchdogKills, 1);
  } finally {
    await sys.shutdown();
  }
  t.is(sys.platform.stats().workersRunning, 0);
});

test('a component\'s forged and revoked capabilities are refused with InvalidCapability', async (t) => {
  const config = `<config>${parentProvides()}${DEFAULT_ROUTE_TO_PARENT}${start('forger', 'lx-forger')}</config>`;
  const { lines, sys } = await boot(config, { 'lx-forger': fixture('forger') },
    (ls) => ls.some((l) => l.includes('child "forger" exited')));
  try {
    const text = lines.join('\n');
    t.regex(text, /\[init -> forger\] forged: InvalidCapability: token [0-9a-f]{8}… names no object \(forged, never granted, or revoked\)/);
    t.regex(text, /\[init -> forger\] own object answers 4/);
    t.regex(text, /\[init -> forger\] revoked: InvalidCapability: token [0-9a-f]{8}…/);
    t.regex(text, /child "forger" exited with exit value 0/);
    t.notRegex(text, /accepted/);
  } finally {
    await sys.shutdown();
  }
});

test('a component that allocates beyond its host heap limit is stopped alone and reported', async (t) => {
  /* 1M of RAM quota: a heap limit of 96 + 8 MiB (worker_limits.ts) */
  const config = `<config>${parentProvides()}${DEFAULT_ROUTE_TO_PARENT}
    ${start('hoarder', 'lx-hoarder')}${start('test-log', 'test-log')}
  </config>`;
  const targets = await loadTargets();
  const exited = (name: string) => (l: string) => l.startsWith(`[init] child "${name}" exited with exit value`);
  const { lines, sys } = await boot(config, { 'lx-hoarder': fixture('hoarder'), 'test-log': targets.get('test-log')! },
    (ls) => ['hoarder', 'test-log'].every((n) => ls.some(exited(n))));
  try {
    const text = lines.join('\n');
    t.regex(text, /\[init -> hoarder\] about to hoard/);
    t.regex(text, /\[init -> hoarder\] Error: out of host heap: the component's worker reached its limit of 104 MiB \(96 MiB \+ 8 x its RAM quota of \d+ KiB\) and was stopped/);
    t.regex(text, /\[init\] child "hoarder" exited with exit value -1/);
    t.regex(text, /\[init -> test-log\] Test done\./);
    t.regex(text, /\[init\] child "test-log" exited with exit value 0/);
  } finally {
    await sys.shutdown();
  }
});
