import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

/** tool/bench times the two "null RPC" lines; as a scenario it checks the benchmark runs. */
export default scenario({
  description: 'null-RPC benchmark: a client makes a series of empty calls to a server',
  modules: ['test-rpc_bench_server', 'test-rpc_bench_client'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/><any-child/></any-service></default-route>
  <start name="test-rpc_bench_server" caps="50">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Bench"/></provides>
  </start>
  <start name="test-rpc_bench_client" caps="50">
    <resource name="RAM" quantum="1M"/>
    <config calls="2000"/>
  </start>
</config>`,
  succeed: [/null RPC: start (\d+) calls/, /null RPC: done (\d+) calls/],
  fail: ERROR_LINE,
  timeout: '60s',
});
