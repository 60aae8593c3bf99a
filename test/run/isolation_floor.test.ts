/*
 * The benchmark's isolation floor (tool/bench/isolation_floor.ts): its two programs link,
 * run metered in compartments of their own and make every call through the gate (a call
 * the server did not answer, or a fault of either program, fails the measurement).
 */
import test from 'ava';
import { isolationFloorNs } from '../../tool/bench/isolation_floor.js';

test('the isolation floor makes its calls through two metered compartments and takes some time', async (t) => {
  const r = await isolationFloorNs(5000, 1000);
  t.is(r.calls, 5000);
  t.true(r.nsPerCall > 0 && Number.isFinite(r.nsPerCall));
});
