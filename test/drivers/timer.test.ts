/* The timer driver's parts on the emulated PIT: time from ticks, one-shots, the timeout queue. */
import test from 'ava';
import { PIT_HZ, PitTimer, ticksToUs, usToTicks, MAX_COUNT } from '../../os/src/drivers/timer/pit.js';
import { TimeoutQueue } from '../../os/src/drivers/timer/timeout_queue.js';
import { TimerDriver } from '../../os/src/drivers/timer/driver.js';
import { Capability } from '../../base/src/capability.js';
import { Pc, ticksToCycles } from '../../tool/pc/index.js';
import { countingPorts, pcPorts, pcWithIrq0Acked } from './ports.js';

const atTick = (pc: Pc, n: number) => ticksToCycles(n, pc.clock.tscHz, PIT_HZ);

function pitOf(pc: Pc): PitTimer {
  return new PitTimer(pcPorts(pc, 0x40, 4));
}

test('tick and microsecond conversions are exact and round the right way', (t) => {
  t.is(ticksToUs(PIT_HZ), 1_000_000);
  t.is(ticksToUs(PIT_HZ * 3600), 3600 * 1_000_000);
  t.is(usToTicks(1_000_000), PIT_HZ);
  t.true(ticksToUs(usToTicks(1234)) >= 1234);
  t.is(ticksToUs(1), 0);
  t.is(usToTicks(1), 2); // 1.19 ticks, rounded up
});

test('time follows the PIT while the one-shot counts and after it wrapped', async (t) => {
  const pc = new Pc();
  const pit = pitOf(pc);
  const base = pc.clock.tsc();
  await pit.start();
  const start = Math.ceil(base / (pc.clock.tscHz / PIT_HZ));
  for (const ticks of [1, 1000, MAX_COUNT - 1, MAX_COUNT + 5, MAX_COUNT + 60_000]) {
    pc.clock.advanceTo(atTick(pc, start + ticks));
    const now = await pit.now();
    t.true(Math.abs(now - ticks) <= 1, `after ${ticks} ticks the driver counted ${now}`);
  }
});

test('a one-shot raises IRQ0 at its deadline, and time keeps counting across re-arms', async (t) => {
  const pc = new Pc();
  pc.outPort(0x21, 1, 0xfe); // only IRQ0 unmasked
  const irqs: number[] = [];
  pc.interrupts.onAssert(() => {
    const irq = pc.interrupts.acknowledge();
    if (irq !== undefined) {
      irqs.push(pc.clock.tsc());
      pc.outPort(0x20, 1, 0x20);
    }
  });
  const pit = pitOf(pc);
  await pit.start();
  const armed = await pit.arm(10_000);
  t.is(armed, usToTicks(10_000));
  const next = pc.clock.nextEventAt()!;
  pc.clock.advanceTo(next);
  t.is(irqs.length, 1);
  const us = await pit.nowUs();
  t.true(us >= 10_000 && us <= 10_010, `${us} us at the interrupt`);
  await pit.arm(5_000);
  pc.clock.advanceTo(pc.clock.nextEventAt()!);
  t.is(irqs.length, 2);
  const us2 = await pit.nowUs();
  t.true(us2 >= 15_000 && us2 <= 15_020, `${us2} us after the second one-shot`);
});

test('one-shots longer than the counter are capped', async (t) => {
  const pc = new Pc();
  const pit = pitOf(pc);
  await pit.start();
  t.is(await pit.arm(10_000_000), MAX_COUNT);
  t.is(await pit.arm(0), 2);
});

test('the timeout queue orders by deadline and reschedules periodic timeouts', (t) => {
  const q = new TimeoutQueue<string>();
  q.schedule('c', 300);
  q.schedule('a', 100);
  q.schedule('b', 200);
  q.schedule('p', 50, 50);
  t.is(q.next(), 50);
  t.deepEqual(q.expire(99), ['p']);
  t.is(q.next(), 100);
  /* equal deadlines keep the order they were scheduled in; p's missed periods are skipped */
  t.deepEqual(q.expire(250), ['a', 'p', 'b']);
  t.false(q.has('a'));
  t.true(q.has('p'));
  t.is(q.next(), 300);
  q.schedule('c', 1000); // replaces
  t.is(q.size, 2);
  q.cancel('p');
  t.deepEqual(q.expire(2000), ['c']);
  t.is(q.size, 0);
  t.throws(() => q.schedule('x', Number.NaN), { instanceOf: RangeError });
});

test('a periodic timeout that fell behind skips the missed periods', (t) => {
  const q = new TimeoutQueue<string>();
  q.schedule('p', 10, 10);
  t.deepEqual(q.expire(95), ['p']);
  t.is(q.next(), 100);
});

test('the driver signals many clients in deadline order from one PIT', async (t) => {
  const pc = new Pc();
  pc.outPort(0x21, 1, 0xfe);
  let interrupts = 0;
  pc.interrupts.onAssert(() => {
    if (pc.interrupts.acknowledge() !== undefined) {
      interrupts++;
      pc.outPort(0x20, 1, 0x20);
    }
  });
  const order: string[] = [];
  const caps = new Map<Capability<never>, string>();
  const client = (name: string) => {
    const cap = new Capability<never>(undefined);
    caps.set(cap, name);
    return { target: cap };
  };
  const driver = new TimerDriver(pitOf(pc), (sigh) => order.push(caps.get(sigh as Capability<never>)!));
  await driver.start();
  const [a, b, c] = [client('a'), client('b'), client('c')];
  await driver.schedule(a, 300_000, 0);
  await driver.schedule(b, 100_000, 0);
  await driver.schedule(c, 200_000, 100_000);
  /* run the machine from interrupt to interrupt, as the kernel does when all is idle */
  while (order.length < 5) {
    const seen = interrupts;
    pc.clock.advanceTo(pc.clock.nextEventAt()!);
    t.is(interrupts, seen + 1);
    await driver.interrupt();
  }
  t.deepEqual(order, ['b', 'c', 'a', 'c', 'c']);
  const now = await driver.nowUs();
  t.true(now >= 400_000 && now < 400_100, `${now} us after the fifth timeout`);
});

test('an idle wake-up costs six port accesses, and time stays exact over many of them', async (t) => {
  const pc = pcWithIrq0Acked();
  const counted = countingPorts(pc, pcPorts(pc, 0x40, 4));
  const driver = new TimerDriver(new PitTimer(counted.ports), () => {});
  const base = pc.clock.tsc();
  await driver.start();
  const before = counted.accesses();
  const wraps = 100;
  for (let i = 0; i < wraps; i++) {
    pc.clock.advanceTo(pc.clock.nextEventAt()!);
    await driver.interrupt();
  }
  t.is(counted.accesses() - before, wraps * 6, 'the read-back (4) and a new count (2) per wake-up');
  /* each re-arm loses the ticks between the read and the load, here none: time is the machine's */
  const us = await driver.nowUs();
  const machineUs = ((pc.clock.tsc() - base) / pc.clock.tscHz) * 1e6;
  t.true(Math.abs(us - machineUs) <= wraps + 1, `${us} us counted, ${machineUs} us passed`);
});
