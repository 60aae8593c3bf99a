const t0 = performance.now();
await import('../build/base/src/loader/lockdown.js');
const t1 = performance.now();
const { Meter } = await import('../build/base/src/loader/cpu_meter.js');
const { instantiate } = await import('../build/base/src/loader/sandbox.js');
const { loadProgram } = await import('../build/base/src/loader/program.js');
const { boundGlobals } = await import('../build/base/src/loader/sandbox.js');
const t2 = performance.now();
const img = await loadProgram('init', new URL('../build/os/src/init/main.js', import.meta.url).href, new URL('../build/base-nova/src/lib/startup.js', import.meta.url).href, boundGlobals());
const t3 = performance.now();
for (let i = 0; i < 3; i++) { const a = performance.now(); instantiate(img, new Meter(Infinity, () => {}), {}, 1); console.log('instantiate', (performance.now() - a).toFixed(1), 'ms'); }
console.log('lockdown', (t1 - t0).toFixed(1), 'imports', (t2 - t1).toFixed(1), 'link', (t3 - t2).toFixed(1));
process.exit(0);
