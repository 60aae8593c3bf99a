const root = process.argv[2];
try { await import(root + '/build/base/src/loader/lockdown.js'); } catch {}
const { createContainer, kernelBackends } = await import(root + '/build/tool/runner/container.js');
const { nullRpcNs } = await import(root + '/build/tool/bench/rpc.js');
const { awaitFloorNs, median } = await import(root + '/build/tool/bench/floors.js');
const backends = kernelBackends(createContainer());
const out = [];
for (const k of ['nova', 'fiasco', 'okl4']) {
  const b = backends.find((x) => x.name === k);
  await nullRpcNs(b, 5000);
  const r = [], f = [];
  for (let i = 0; i < 3; i++) { f.push(await awaitFloorNs()); r.push((await nullRpcNs(b, 20000)).nsPerCall); }
  out.push(`${k}: null RPC ${median(r).toFixed(0)} ns, await ${median(f).toFixed(1)} ns, ratio ${(median(r) / median(f)).toFixed(1)}`);
}
console.log(root.split('/').pop(), out.join('; '));
process.exit(0);
