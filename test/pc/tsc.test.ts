import test from 'ava';
import { Tsc, cyclesToTicks, ticksToCycles, PIT_HZ, type TimedDevice } from '../../tool/pc/index.js';

test('tick conversion is exact at the edges of a tick', (t) => {
  const hz = 2_000_000_000;
  t.is(cyclesToTicks(0, hz, PIT_HZ), 0);
  // 1193 PIT ticks last 1193 * 2e9 / 1193182 = 1999694.9... cycles
  t.is(ticksToCycles(1193, hz, PIT_HZ), 1_999_695);
  t.is(cyclesToTicks(1_999_694, hz, PIT_HZ), 1192);
  t.is(cyclesToTicks(1_999_695, hz, PIT_HZ), 1193);
  t.is(cyclesToTicks(hz, hz, PIT_HZ), PIT_HZ); // one second
});

test('tick conversion stays exact after hours of virtual time', (t) => {
  const hz = 2_000_000_000;
  const ticks = PIT_HZ * 3600 * 10 + 12345; // ten hours and a bit
  const cycles = ticksToCycles(ticks, hz, PIT_HZ);
  t.is(cyclesToTicks(cycles, hz, PIT_HZ), ticks);
  t.is(cyclesToTicks(cycles - 1, hz, PIT_HZ), ticks - 1);
});

test('advance moves the TSC and syncs attached devices; nextEventAt is the earliest device event', (t) => {
  const clock = new Tsc(1_000_000);
  const synced: number[] = [];
  const device = (at: number | undefined): TimedDevice => ({ sync: (tsc) => synced.push(tsc), nextEventAt: () => at });
  clock.attach(device(500));
  clock.attach(device(undefined));
  clock.attach(device(300));
  t.is(clock.tscHz, 1_000_000);
  t.is(clock.nextEventAt(), 300);
  clock.advance(100);
  clock.advanceTo(250);
  t.is(clock.tsc(), 250);
  t.deepEqual(synced, [100, 100, 100, 250, 250, 250]);
});

test('time never runs backwards', (t) => {
  const clock = new Tsc();
  t.is(clock.tscHz, 2_000_000_000);
  t.throws(() => clock.advance(-1), { instanceOf: RangeError });
  t.throws(() => clock.advance(Number.NaN), { instanceOf: RangeError });
  clock.advanceTo(10);
  clock.advanceTo(5);
  t.is(clock.tsc(), 10);
  t.throws(() => new Tsc(0), { instanceOf: RangeError });
});
