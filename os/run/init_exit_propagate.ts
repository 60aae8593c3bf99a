import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

/*
 * A nested init whose child "last" has <exit propagate="yes"/>: when it exits with 5, the
 * nested init exits with 5 too (its other child, still running, goes with it). A sibling
 * without propagate exits first and the nested init keeps running.
 */
export default scenario({
  description: 'init <exit propagate="yes"/>: a child\'s exit ends init with its exit value',
  modules: ['test-exit', 'timer'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="timer" caps="100"><resource name="RAM" quantum="1M"/><provides><service name="Timer"/></provides></start>
  <start name="sub" caps="400">
    <binary name="init"/>
    <resource name="RAM" quantum="8M"/>
    <config>
      <parent-provides><service name="PD"/><service name="CPU"/><service name="ROM"/><service name="RM"/><service name="LOG"/><service name="Timer"/></parent-provides>
      ${DEFAULT_ROUTE_TO_PARENT}
      <start name="first"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="exit" value="3"/></start>
      <start name="idle"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="idle"/></start>
      <start name="last"><binary name="test-exit"/><resource name="RAM" quantum="1M"/>
        <exit propagate="yes"/>
        <config action="tick" count="3" value="5"/>
      </start>
    </config>
  </start>
</config>`,
  succeed: [
    /\[init -> sub\] child "first" exited with exit value 3/,
    /\[init -> sub\] child "last" exited with exit value 5/,
    /\[init -> sub\] exit of "last" propagated: init exits with exit value 5/,
    /\[init\] child "sub" exited with exit value 5/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
