import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

export default scenario({
  description: 'a child runs out of RAM, asks init for more with Parent.resourceRequest, and gets what its start node allows',
  modules: ['test-resource_request'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="test-resource_request" caps="100">
    <resource name="RAM" quantum="1M" maximum="3M"/>
  </start>
</config>`,
  succeed: [
    /child "test-resource_request" requests ram_quota=2097152, cap_quota=0: granted ram_quota=2097152, cap_quota=0/,
    /\[init -> test-resource_request\] parent granted 2097152 bytes/,
    /third request refused as expected/,
    /\[init\] child "test-resource_request" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '40s',
});
