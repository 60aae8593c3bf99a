import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../src/scenario.js';

export default scenario({
  description: 'a dataspace allocated by one PD session cannot be freed through another',
  modules: ['test-ds_ownership'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="test-ds_ownership" caps="50"><resource name="RAM" quantum="1M"/></start>
</config>`,
  succeed: [/tried to free a dataspace owned by PD "init -> test-ds_ownership -> owner", refused/, /\[init -> test-ds_ownership\] test succeeded/],
  fail: ERROR_LINE,
  timeout: '30s',
});
