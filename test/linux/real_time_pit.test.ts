/*
 * The machine's time on linux: the TSC follows host time, and the PIT's interrupts come
 * at host-time deadlines without anyone touching the machine (core's host timer for the
 * next device event). Lateness is bounded only against gross errors, since the host may
 * be busy; nothing may come early. Last, the real PIT timer driver serving a client on
 * linux, through core's IO_PORT and IRQ sessions.
 */
import test from 'ava';
import { BootModules } from '../../base/src/core/boot_modules.js';
import { DEFAULT_ROUTE_TO_PARENT, parentProvides } from '../../base/src/scenario.js';
import { bootLinux } from '../../base-linux/src/core/boot.js';
import { HostMachine } from '../../base-linux/src/core/host_machine.js';
import { PIT_HZ, PitTimer } from '../../os/src/drivers/timer/pit.js';
import { Pc } from '../../tool/pc/index.js';
import { loadTargets } from '../../tool/runner/repositories.js';

const RAM = { base: 0x10_0000, size: 64 << 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Generous: a loaded CI host may stall a thread for a while. */
const GROSS_MS = 500;

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond() && performance.now() < deadline) await sleep(2);
}

function machine() {
  const pc = new Pc();
  const before = performance.now();
  const hm = new HostMachine(pc, RAM);
  const after = performance.now();
  const ports = { inb: async (p: number) => hm.read(p, 1), outb: async (p: number, v: number) => hm.write(p, 1, v) };
  return { pc, hm, ports, before, after };
}

const tscMs = (pc: Pc) => (pc.clock.tsc() / pc.clock.tscHz) * 1000;

test('the TSC follows host time', async (t) => {
  const { pc, hm, before, after } = machine();
  try {
    await sleep(100);
    const from = performance.now();
    hm.clock.sync();
    const to = performance.now();
    /* the clock started between `before` and `after`; a TSC value is whole cycles */
    t.true(tscMs(pc) >= from - after - 1e-6, `${tscMs(pc)} ms of TSC, at least ${from - after} ms passed`);
    t.true(tscMs(pc) <= to - before, `${tscMs(pc)} ms of TSC, at most ${to - before} ms passed`);
    const ticks = tscMs(pc);
    await sleep(20);
    hm.clock.sync();
    t.true(tscMs(pc) > ticks, 'time moves on by itself');
  } finally {
    hm.stop();
  }
});

test('a PIT one-shot interrupts at its host-time deadline, with nobody touching the machine', async (t) => {
  const { pc, hm, ports } = machine();
  try {
    const fired: number[] = [];
    t.true(hm.interrupts.attach(0, () => fired.push(performance.now())));
    const pit = new PitTimer(ports);
    await pit.start();
    const armedAt = performance.now();
    const count = await pit.arm(50_000);
    await waitFor(() => fired.length > 0, 50 + GROSS_MS);
    t.is(fired.length, 1, 'one interrupt');
    const late = fired[0]! - armedAt - (count / PIT_HZ) * 1000;
    t.true(late >= -1e-3, `the interrupt came ${-late} ms early`);
    t.true(late < GROSS_MS, `the interrupt came ${late} ms late`);
    /* the driver's notion of time (PIT ticks) is host time as well */
    const us = await pit.nowUs();
    const hostUs = (performance.now() - armedAt) * 1000;
    t.true(us <= hostUs + 1000 && us >= 50_000, `PIT says ${us} us, host ${hostUs} us since arming`);
    await sleep(60);
    t.is(fired.length, 1, 'a one-shot fires once');
    t.true(tscMs(pc) > 0);
  } finally {
    hm.stop();
  }
});

test('a periodic PIT (mode 2, 100 Hz) interrupts about every 10 ms of host time, never more often', async (t) => {
  const { hm } = machine();
  try {
    let n = 0;
    hm.interrupts.attach(0, () => n++);
    const divisor = Math.round(PIT_HZ / 100);
    const start = performance.now();
    hm.write(0x43, 1, 0x34); // channel 0, lo/hi byte, mode 2
    hm.write(0x40, 1, divisor & 0xff);
    hm.write(0x40, 1, divisor >> 8);
    await sleep(300);
    const elapsed = performance.now() - start;
    hm.interrupts.detach(0);
    const periods = Math.floor((elapsed * PIT_HZ) / 1000 / divisor);
    t.true(n <= periods, `${n} interrupts in ${elapsed} ms`);
    /* missed periods collapse into one request at the PIC, so a stalled host sees fewer */
    t.true(n >= periods / 5, `${n} interrupts in ${elapsed} ms`);
    const after = n;
    await sleep(30);
    t.is(n, after, 'a detached line delivers nothing');
  } finally {
    hm.stop();
  }
});

test('the PIT timer driver serves a client on linux in real time', async (t) => {
  const targets = await loadTargets();
  const modules = new BootModules();
  /* the repositories' timer is the PIT driver (tool/run boots linux's host-time timer instead) */
  for (const name of ['init', 'timer', 'test-timer_sleeper']) modules.addBinary(name, targets.get(name)!);
  modules.addData('config', `<config>${parentProvides(['IO_PORT', 'IRQ'])}${DEFAULT_ROUTE_TO_PARENT}
    <start name="timer" caps="100"><resource name="RAM" quantum="1M"/><provides><service name="Timer"/></provides></start>
    <start name="sleeper" caps="60"><binary name="test-timer_sleeper"/><resource name="RAM" quantum="1M"/>
      <config period_ms="100" count="5"/>
      <route><service name="Timer"><child name="timer"/></service><any-service><parent/></any-service></route>
    </start>
  </config>`);
  const lines: string[] = [];
  const sys = bootLinux(modules, (l) => lines.push(l), { machine: new Pc({ sharedDeviceMemory: true }) });
  try {
    const done = /\[init -> sleeper\] 5 x 100 ms slept: timer says (\d+) ms/;
    await waitFor(() => lines.some((l) => done.test(l) || / Error: /.test(l)), 30_000);
    const line = lines.find((l) => done.test(l));
    t.truthy(line, lines.join('\n'));
    const said = Number(done.exec(line!)![1]);
    t.true(said >= 500 && said < 500 + GROSS_MS * 5, `timer says ${said} ms`);
    t.true(sys.elapsedMs() >= said, 'no faster than host time');
    const s = sys.platform.stats();
    t.true(s.interrupts! >= 5, JSON.stringify(s));
    t.true(s.portAccesses! > 0);
  } finally {
    await sys.shutdown();
  }
});
