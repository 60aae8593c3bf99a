import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/* tool/run prints the per-operation table from the "bench" markers (see tool/runner/bench_markers.ts) */
export default scenario({
  description: 'IPC benchmark: null RPC, payloads, capability transfer, signal round trip, 1 MiB bulk through a dataspace',
  modules: ['ipc_bench', 'ipc_bench_server'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/><any-child/></any-service></default-route>
  <start name="ipc_bench_server" caps="100">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Ipc_bench"/></provides>
  </start>
  <start name="ipc_bench" caps="100">
    <resource name="RAM" quantum="4M"/>
    <config iterations="10000" warmup="20000"/>
  </start>
</config>`,
  succeed: [/--- ipc_bench finished ---/],
  fail: ERROR_LINE,
  timeout: '120s',
});
