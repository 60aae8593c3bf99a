import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

export default scenario({
  description: 'RPC between two components: every argument type, capabilities both ways, declared and undeclared exceptions',
  modules: ['test-rpc_server', 'test-rpc_client'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  <start name="test-rpc_server" caps="50">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Test"/></provides>
  </start>
  <start name="test-rpc_client" caps="50">
    <resource name="RAM" quantum="2M"/>
    <route>
      <service name="Test"><child name="test-rpc_server"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [/--- RPC test finished ---/, /child "test-rpc_client" exited with exit value 0/],
  fail: ERROR_LINE,
  timeout: '30s',
});
