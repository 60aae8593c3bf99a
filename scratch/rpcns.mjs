import '../build/base/src/loader/lockdown.js';
const { createContainer, kernelBackends } = await import('../build/tool/runner/container.js');
const { nullRpcNs } = await import('../build/tool/bench/rpc.js');
const backends = kernelBackends(createContainer());
for (const k of (process.argv[2] ?? 'nova').split(',')) {
  const b = backends.find((x) => x.name === k);
  for (let i = 0; i < 3; i++) { const r = await nullRpcNs(b, 20000); console.log(k, Math.round(r.nsPerCall), 'ns/call'); }
}
process.exit(0);
