import '../build/base/src/loader/lockdown.js';
process.on('unhandledRejection', (r) => { console.error('UNHANDLED', typeof r, r && r.constructor && r.constructor.name, r && r.message, r && r.stack); });
await import('../build/tool/runner/main.js');
