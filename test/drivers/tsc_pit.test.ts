/*
 * The PIT timer with the TSC as clock: time from the TSC at the frequency the kernel
 * gives, the PIT armed only for pending timeouts, as often as their length needs.
 */
import test from 'ava';
import { TimerDriver } from '../../os/src/drivers/timer/driver.js';
import { PitTimer } from '../../os/src/drivers/timer/pit.js';
import { TscPitTimer } from '../../os/src/drivers/timer/tsc_pit.js';
import type { Pc } from '../../tool/pc/index.js';
import { countingPorts, pcPorts, pcWithIrq0Acked } from './ports.js';

/** A PC whose IRQ0 is acknowledged at once, and PIT ports where each access takes time (an RPC to core). */
function machine(cyclesPerAccess = 2500) {
  const pc = pcWithIrq0Acked();
  const { ports, accesses } = countingPorts(pc, pcPorts(pc, 0x40, 4), cyclesPerAccess);
  const source = new TscPitTimer(new PitTimer(ports), { now: () => pc.clock.tsc(), hz: pc.clock.tscHz });
  return { pc, source, accesses };
}

/** Runs the driver's wake-ups until `done` or no PIT event is pending. */
async function wakeUntil(pc: Pc, driver: TimerDriver, done: () => boolean): Promise<number> {
  let wakes = 0;
  while (!done()) {
    const next = pc.clock.nextEventAt();
    if (next === undefined) break;
    pc.clock.advanceTo(next);
    await driver.interrupt();
    wakes++;
  }
  return wakes;
}

test('time is the TSC, and with nothing pending the PIT is never armed', async (t) => {
  const { pc, source, accesses } = machine();
  const driver = new TimerDriver(source, () => {});
  pc.clock.advance(12345);
  await driver.start();
  t.is(pc.clock.nextEventAt(), undefined, 'nothing pending: no one-shot');
  pc.clock.advance(pc.clock.tscHz * 3600);
  t.is(await driver.nowUs(), 3600 * 1_000_000);
  t.is(accesses(), 0, 'an idle hour: no port access');
});

test('a timeout arms the PIT as often as its length needs, and expires on time', async (t) => {
  const { pc, source, accesses } = machine();
  const signalled: number[] = [];
  const driver = new TimerDriver(source, () => void signalled.push(pc.clock.tsc()));
  await driver.start();
  const client = { target: { valid: true } as never };
  const armedAt = await driver.nowUs();
  await driver.schedule(client, 200_000, 0);
  const wakes = await wakeUntil(pc, driver, () => signalled.length > 0);
  t.is(wakes, 4, '200 ms in one-shots of at most 55 ms');
  t.is(accesses(), 1 + 4 * 2, 'the mode command once, then two count bytes per one-shot: no reads');
  const at = await driver.nowUs();
  t.true(at >= armedAt + 200_000 && at < armedAt + 200_020, `expired at ${at - armedAt} us`);
  t.is(pc.clock.nextEventAt(), undefined, 'and quiet again');
});

test('an earlier timeout re-arms, a later one does not', async (t) => {
  const { pc, source } = machine();
  const order: string[] = [];
  const driver = new TimerDriver(source, (sigh) => void order.push(String(sigh)));
  await driver.start();
  const a = { target: 'a' as never };
  const b = { target: 'b' as never };
  await driver.schedule(a, 30_000, 0);
  const armed = pc.clock.nextEventAt();
  await driver.schedule(b, 40_000, 0);
  t.is(pc.clock.nextEventAt(), armed, 'the later one waits for the next wake-up');
  await driver.schedule(b, 10_000, 0);
  t.true(pc.clock.nextEventAt()! < armed!, 'the earlier one re-armed the PIT');
  await wakeUntil(pc, driver, () => false);
  t.deepEqual(order, ['b', 'a']);
});
