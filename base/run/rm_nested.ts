import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../src/scenario.js';

export default scenario({
  description: 'managed region maps (RM service) attached into the address space, two levels deep',
  modules: ['test-rm_nested'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="test-rm_nested" caps="80"><resource name="RAM" quantum="2M"/></start>
</config>`,
  succeed: [/--- finished nested region map test ---/, /child "test-rm_nested" exited with exit value 0/],
  fail: ERROR_LINE,
  timeout: '30s',
});
