import v8 from 'node:v8';
async function work(n) { let s = 0; for (let i = 0; i < n; i++) { s += await Promise.resolve(i); } return s; }
async function bench(label) { const t0 = process.hrtime.bigint(); await work(1e6); const t1 = process.hrtime.bigint(); console.log(label, Number(t1 - t0) / 1e6, 'ns/iter'); }
await bench('plain'); await bench('plain');
const owner = new WeakMap(); let current = 0; let saved = [];
const stop = v8.promiseHooks.createHook({
  init(p, parent) { owner.set(p, parent !== undefined ? (owner.get(parent) ?? current) : current); },
  before(p) { saved.push(current); current = owner.get(p) ?? current; },
  after() { current = saved.pop(); },
});
await bench('hooks'); await bench('hooks');
stop();
const stop2 = v8.promiseHooks.onInit((p, parent) => { if (current) owner.set(p, current); });
await bench('init only'); await bench('init only');
