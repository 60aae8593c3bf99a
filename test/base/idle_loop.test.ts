/*
 * The idle loop: virtual time jumps to the next event when nothing runs, unless the clock
 * is paced (a live display), when it waits for the host's clock to get there.
 */
import test from 'ava';
import { IdleLoop } from '../../base/src/util/idle_loop.js';
import { Tsc } from '../../tool/pc/tsc.js';

const HZ = 1_000_000_000;
const PERIOD = HZ / 100; // an event every 10 ms of virtual time, like a periodic timer

/** A clock with a periodic device event, and an idle loop with nothing else to run. */
function idleSystem(period = PERIOD) {
  const clock = new Tsc(HZ);
  let events = 0;
  clock.attach({
    sync: (tsc) => { events = Math.floor(tsc / period); },
    nextEventAt: () => (events + 1) * period,
  });
  const loop = new IdleLoop(clock, { busy: () => false, flush: () => {}, nextDeadline: () => undefined, expire: () => {} });
  return { clock, loop };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('unpaced, an idle system races through its events', async (t) => {
  const { clock, loop } = idleSystem();
  const start = performance.now();
  loop.poke();
  /* a second of virtual time, however loaded the host is: far sooner than a second of real time */
  while (clock.tsc() < HZ && performance.now() - start < 10_000) await sleep(5);
  const realMs = performance.now() - start;
  loop.stop();
  t.true(clock.tsc() >= HZ, 'virtual time got stuck');
  t.true(realMs < 1000, `a second of virtual time took ${realMs} ms of real time`);
});

test('paced, an idle system waits for host time: virtual time keeps to real time', async (t) => {
  const { clock, loop } = idleSystem();
  clock.pace();
  const start = performance.now();
  loop.poke();
  await sleep(300);
  const realMs = performance.now() - start;
  loop.stop();
  const virtualMs = (clock.tsc() * 1000) / HZ;
  t.true(virtualMs <= realMs + 20, `virtual ${virtualMs} ms ran ahead of real ${realMs} ms`);
  t.true(virtualMs >= 10, `virtual time did not move (${virtualMs} ms)`);
});

test('paced, a poke ends the wait at once (input does not wait for the next event)', async (t) => {
  /* the next event is a minute away: nothing but the poke can run the loop during the test */
  const { clock, loop } = idleSystem(60 * HZ);
  clock.pace();
  let busy = 0;
  const paced = new IdleLoop(clock, { busy: () => busy-- > 0, flush: () => {}, nextDeadline: () => undefined, expire: () => {} });
  loop.stop();
  paced.poke();
  await sleep(5);
  const before = clock.tsc();
  busy = 1;
  paced.poke();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  t.true(busy <= 0, 'the poke ran the loop without waiting for the timer');
  t.is(clock.tsc(), before, 'and did not move time by itself');
  paced.stop();
});

test('paced, a system with nothing pending waits for input without halting, and catches up with host time when it comes', async (t) => {
  const clock = new Tsc(HZ);
  let input: number | undefined; // a device event the outside input scheduled
  clock.attach({ sync: (tsc) => { if (input !== undefined && tsc >= input) input = undefined; }, nextEventAt: () => input });
  const loop = new IdleLoop(clock, { busy: () => false, flush: () => {}, nextDeadline: () => undefined, expire: () => {} });
  clock.pace();
  let halts = 0;
  loop.onHalt(() => halts++);
  loop.poke();
  await sleep(5);
  t.is(halts, 0, 'nothing pending, but paced: it waits for outside input, the run has not halted');
  t.is(clock.tsc(), 0, 'and time stood still');
  await sleep(100);
  /* a frame arrives: its device event is due a microsecond from the (old) virtual now, and the device tells */
  input = clock.tsc() + HZ / 1_000_000;
  clock.scheduleChanged();
  await sleep(5);
  const virtualMs = (clock.tsc() * 1000) / HZ;
  t.true(virtualMs >= 100, `virtual time is ${virtualMs} ms after 100 ms of host time: it did not catch up`);
  t.true(input === undefined, 'the input event fired');
  loop.stop();
});
