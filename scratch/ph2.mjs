import v8 from 'node:v8';
async function work(n) { let s = 0; for (let i = 0; i < n; i++) { s += await Promise.resolve(i); } return s; }
async function bench(label) { const t0 = process.hrtime.bigint(); await work(1e6); const t1 = process.hrtime.bigint(); console.log(label, Number(t1 - t0) / 1e6, 'ns/iter'); }
await bench('plain'); await bench('plain'); await bench('plain');
const OWN = Symbol("owner"); const H = { c: 1 };
const stop = v8.promiseHooks.onSettled((p) => { if (H.c !== 0) p[OWN] = H.c; });
await bench('settled'); await bench('settled'); await bench('settled');
stop();
await bench('plain'); await bench('plain');
