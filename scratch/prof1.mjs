await import('../build/base/src/loader/lockdown.js');
const { createContainer, kernelBackends } = await import('../build/tool/runner/container.js');
const { nullRpcNs } = await import('../build/tool/bench/rpc.js');
const b = kernelBackends(createContainer()).find((x) => x.name === 'nova');
await nullRpcNs(b, 5000);
console.log((await nullRpcNs(b, 40000)).nsPerCall);
process.exit(0);
