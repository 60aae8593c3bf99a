import '../build/base/src/loader/lockdown.js';
const { loadProgram } = await import('../build/base/src/loader/program.js');
const { boundGlobals } = await import('../build/base/src/loader/sandbox.js');
const img = await loadProgram('init', new URL('../build/os/src/init/main.js', import.meta.url).href, new URL('../build/base-nova/src/lib/startup.js', import.meta.url).href, boundGlobals());
const fs = await import('node:fs'); fs.writeFileSync('/tmp/init.js', img.source); console.log(img.source.length);
