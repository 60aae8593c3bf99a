/*
 * The benchmark's cross-thread floors (tool/bench/worker_floors.ts): the blocking wait
 * names the value it saw, so a store and notify that land between its check and its wait
 * cannot leave it asleep (that hung `npm run bench` now and then); every mode finishes.
 */
import test from 'ava';
import { roundTripNs, waitUntil, type WaitMode } from '../../tool/bench/worker_floors.js';

test('waitUntil returns at once when the flag holds the value, and does not wait for a value already there', (t) => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  flag[0] = 2;
  waitUntil(flag, 2);
  t.is(flag[0], 2);
});

for (const mode of ['wait', 'waitAsync', 'spin', 'spinThenWaitAsync'] as WaitMode[]) {
  test(`a ${mode} round trip with a worker finishes and takes some time`, async (t) => {
    const ns = await roundTripNs(mode, 5000);
    t.true(ns > 0 && Number.isFinite(ns));
  });
}
