import { scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

export default scenario({
  description: 'init reports a child that exits and one that throws; a third child keeps running',
  modules: ['test-exit'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="exiter"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="exit" value="3"/></start>
  <start name="thrower"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="throw"/></start>
  <start name="logger"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="log" lines="30"/></start>
</config>`,
  succeed: [
    /child "exiter" exited with exit value 3/,
    /\[init -> thrower\] Error: uncaught RangeError: test-exit was told to throw/,
    /child "thrower" exited with exit value -1/,
    /\[init -> logger\] still alive 30/,
    /child "logger" exited with exit value 0/,
  ],
  fail: /\[init -> logger\] Error: /,
  timeout: '40s',
});
