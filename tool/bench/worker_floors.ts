/*
 * Host floors for cross-thread round trips, measured in the same run as the linux backend's
 * null RPC: a worker and the main thread pass a token back and forth through a
 * SharedArrayBuffer, waiting with Atomics.wait, with Atomics.waitAsync, by spinning, or by
 * spinning briefly and then waiting with waitAsync (what the linux backend does).
 */
import { Worker } from 'node:worker_threads';

export type WaitMode = 'wait' | 'waitAsync' | 'spin' | 'spinThenWaitAsync';

/* The worker answers each ping (flag 1) with a pong (flag 2), waiting the same way. */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const flag = new Int32Array(workerData.sab);
const { mode, rounds, spin } = workerData;
async function waitFor(v) {
  if (mode === 'spin') { while (Atomics.load(flag, 0) !== v) {} return; }
  if (mode === 'wait') return waitSync(v);
  if (mode === 'spinThenWaitAsync') { for (let i = 0; i < spin; i++) if (Atomics.load(flag, 0) === v) return; }
  while (Atomics.load(flag, 0) !== v) {
    const cur = Atomics.load(flag, 0);
    if (cur === v) return;
    const r = Atomics.waitAsync(flag, 0, cur);
    if (r.async) await r.value;
  }
}
const keepAlive = setInterval(() => {}, 1000); // waitAsync alone does not keep a worker alive
function waitSync(v) {
  if (mode === 'spin') { while (Atomics.load(flag, 0) !== v) {} return; }
  for (let cur = Atomics.load(flag, 0); cur !== v; cur = Atomics.load(flag, 0)) Atomics.wait(flag, 0, cur);
}
(async () => {
  parentPort.postMessage('ready');
  const sync = mode === 'spin' || mode === 'wait';
  for (let i = 0; i < rounds; i++) {
    /* the blocking modes need no await: measure them without one */
    if (sync) waitSync(1); else await waitFor(1);
    Atomics.store(flag, 0, 2);
    Atomics.notify(flag, 0);
  }
  clearInterval(keepAlive);
})();
`;

/**
 * Blocks until `flag[0]` is `v`. Each wait names the value just seen (not a fresh load: if
 * the other thread stored `v` and notified in between, a wait for `v` would never wake up,
 * which hung `npm run bench` now and then).
 */
export function waitUntil(flag: Int32Array, v: number): void {
  for (let cur = Atomics.load(flag, 0); cur !== v; cur = Atomics.load(flag, 0)) Atomics.wait(flag, 0, cur);
}

function waitSync(flag: Int32Array, v: number, mode: WaitMode): void {
  if (mode === 'spin') { while (Atomics.load(flag, 0) !== v) { /* spin */ } return; }
  waitUntil(flag, v);
}

async function waitFor(flag: Int32Array, v: number, mode: WaitMode, spin: number): Promise<void> {
  if (mode === 'spin') { while (Atomics.load(flag, 0) !== v) { /* spin */ } return; }
  if (mode === 'wait') return waitUntil(flag, v);
  if (mode === 'spinThenWaitAsync') for (let i = 0; i < spin; i++) if (Atomics.load(flag, 0) === v) return;
  while (Atomics.load(flag, 0) !== v) {
    const cur = Atomics.load(flag, 0);
    if (cur === v) return;
    const r = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> } }).waitAsync(flag, 0, cur);
    if (r.async) await r.value;
  }
}

/** ns per round trip (main -> worker -> main) with the given way of waiting. */
export async function roundTripNs(mode: WaitMode, rounds = 20_000, spin = 2000): Promise<number> {
  const sab = new SharedArrayBuffer(4);
  const flag = new Int32Array(sab);
  const worker = new Worker(WORKER, { eval: true, workerData: { sab, mode, rounds, spin } });
  await new Promise<void>((r) => worker.once('message', () => r()));
  const keepAlive = setInterval(() => {}, 1000); // waitAsync alone does not keep the loop alive
  const warm = Math.min(1000, rounds / 10);
  let t0 = 0n;
  const sync = mode === 'spin' || mode === 'wait';
  for (let i = 0; i < rounds; i++) {
    if (i === warm) t0 = process.hrtime.bigint();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    if (sync) waitSync(flag, 2, mode);
    else await waitFor(flag, 2, mode, spin);
  }
  const ns = Number(process.hrtime.bigint() - t0) / (rounds - warm);
  clearInterval(keepAlive);
  await worker.terminate();
  return ns;
}
