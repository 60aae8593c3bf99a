import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

export default scenario({
  description: 'an init started by init, with its own config and children; labels nest',
  modules: ['test-log', 'test-exit'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="sub" caps="300">
    <binary name="init"/>
    <resource name="RAM" quantum="8M"/>
    <config>
      ${parentProvides()}
      ${DEFAULT_ROUTE_TO_PARENT}
      <start name="test-log"><resource name="RAM" quantum="1M"/></start>
      <start name="subsub" caps="150">
        <binary name="init"/>
        <resource name="RAM" quantum="3M"/>
        <config>
          ${parentProvides()}
          ${DEFAULT_ROUTE_TO_PARENT}
          <start name="deep"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="exit" value="7"/></start>
        </config>
      </start>
    </config>
  </start>
</config>`,
  succeed: [/\[init -> sub -> test-log\] Test done\./, /\[init -> sub\] child "test-log" exited with exit value 0/,
    /\[init -> sub -> subsub\] child "deep" exited with exit value 7/],
  fail: ERROR_LINE,
  timeout: '40s',
});
