await import('../build/base/src/loader/lockdown.js');
const { Meter } = await import('../build/base/src/loader/cpu_meter.js');
const { instantiate, boundGlobals } = await import('../build/base/src/loader/sandbox.js');
const { loadProgram } = await import('../build/base/src/loader/program.js');
for (const bin of ['os/src/init/main.js', 'base/src/test/log/main.js']) {
const img = await loadProgram('x', new URL('../build/' + bin, import.meta.url).href, new URL('../build/base-nova/src/lib/startup.js', import.meta.url).href, boundGlobals());
for (let i = 0; i < 5; i++) { const a = performance.now(); instantiate(img, new Meter(Infinity, () => {}), {}, 1); console.log(bin, 'instantiate', (performance.now() - a).toFixed(1), 'ms'); }
}
const a = performance.now(); for (let i = 0; i < 20; i++) new Compartment({ globals: {}, __options__: true }); console.log('compartment', ((performance.now() - a)/20).toFixed(2), 'ms');
process.exit(0);
