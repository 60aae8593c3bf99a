import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../src/scenario.js';

export default scenario({
  description: 'a hostile component tries every door out of its protection domain (kernel objects, host globals, import, eval, intrinsics, time, memory, forged capabilities, a second instance); all stay closed',
  modules: ['test-isolation'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="hostile_a" caps="100"><binary name="test-isolation"/><resource name="RAM" quantum="2M"/></start>
  <start name="hostile_b" caps="100"><binary name="test-isolation"/><resource name="RAM" quantum="2M"/></start>
</config>`,
  succeed: [
    /\[init -> hostile_a\] every door is closed/,
    /\[init -> hostile_b\] every door is closed/,
    /child "hostile_a" exited with exit value 0/,
    /child "hostile_b" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
