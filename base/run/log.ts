import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../src/scenario.js';

export default scenario({
  description: 'a component writes to LOG: hello, multi-line text, unicode, an over-long message refused',
  modules: ['test-log'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="test-log"><resource name="RAM" quantum="1M"/></start>
</config>`,
  succeed: [/\[init -> test-log\] hello world/, /\[init -> test-log\] Test done\./, /child "test-log" exited with exit value 0/],
  fail: ERROR_LINE,
  timeout: '30s',
});
