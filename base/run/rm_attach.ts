import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../src/scenario.js';

export default scenario({
  description: 'region maps: attach, shared mappings, fixed addresses, overlap refused, offsets, detach, free',
  modules: ['test-rm_attach'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="test-rm_attach" caps="50"><resource name="RAM" quantum="1M"/></start>
</config>`,
  succeed: [/--- rm_attach test finished ---/, /child "test-rm_attach" exited with exit value 0/],
  fail: ERROR_LINE,
  timeout: '30s',
});
