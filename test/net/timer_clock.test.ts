/* TimerClock: the stack's NetClock over a (fake) Timer session with one one-shot timeout. */
import test from 'ava';
import { TimerClock, type TimerSource } from '../../os/src/lib/net/timer_clock.js';

/** A Timer session whose time the test moves; triggerOnce replaces the pending timeout. */
class FakeTimer implements TimerSource {
  timeUs = 5_000_000;
  deadline: number | undefined;
  triggers = 0;
  private handler: () => void | Promise<void> = () => undefined;
  async elapsedMs(): Promise<number> { return Math.floor(this.timeUs / 1000); }
  async triggerOnce(us: number): Promise<void> { this.triggers++; this.deadline = this.timeUs + us; }
  onTimeout(fn: () => void | Promise<void>): void { this.handler = fn; }
  /** Moves time to `us`, signalling the timeout if it passed. */
  async advanceTo(us: number): Promise<void> {
    this.timeUs = us;
    if (this.deadline !== undefined && this.deadline <= us) {
      this.deadline = undefined;
      await this.handler();
    }
    await new Promise((r) => setImmediate(r));
  }
}

test('timers fire in deadline order from the session time; cancel works; now() follows the session', async (t) => {
  const timer = new FakeTimer();
  const clock = await TimerClock.create(timer);
  t.is(clock.now(), 5000);
  const fired: string[] = [];
  clock.after(300, () => fired.push('b'));
  clock.after(100, () => fired.push('a'));
  const c = clock.after(200, () => fired.push('cancelled'));
  clock.cancel(c);
  await new Promise((r) => setImmediate(r));
  t.is(timer.deadline, 5_100_000); // the earliest deadline programmed
  await timer.advanceTo(5_050_000);
  t.deepEqual(fired, []);
  await timer.advanceTo(5_100_000);
  t.deepEqual(fired, ['a']);
  t.is(clock.now(), 5100);
  t.is(timer.deadline, 5_300_000);
  await timer.advanceTo(5_400_000);
  t.deepEqual(fired, ['a', 'b']);
  t.is(clock.now(), 5400);
  t.is(timer.deadline, undefined);
});

test('a timer armed from a callback and an early signal are handled', async (t) => {
  const timer = new FakeTimer();
  const clock = await TimerClock.create(timer);
  const fired: number[] = [];
  clock.after(10, () => { fired.push(clock.now()); clock.after(10, () => fired.push(clock.now())); });
  await new Promise((r) => setImmediate(r));
  await timer.advanceTo(5_010_000);
  await new Promise((r) => setImmediate(r));
  t.deepEqual(fired, [5010]);
  // A signal arriving before the deadline (e.g. a stale one) must reprogram, not lose the timer.
  timer.deadline = timer.timeUs;
  await timer.advanceTo(5_015_000);
  t.deepEqual(fired, [5010]);
  t.is(timer.deadline, 5_020_000);
  await timer.advanceTo(5_020_000);
  t.deepEqual(fired, [5010, 5020]);
});
