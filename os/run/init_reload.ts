import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

const child = (name: string, value: number, ram = '1M') =>
  `<start name="${name}" ram="${ram}" caps="60"><binary name="test-reload_child"/><config name="${name}" value="${value}"/></start>`;

const subConfig = (version: number, starts: string) => `<config verbose="yes" version="${version}">
        ${parentProvides(['Reload_test'])}
        ${DEFAULT_ROUTE_TO_PARENT}
        ${starts}
      </config>`;

export default scenario({
  description: 'init config reload: removed children are destroyed and their quota returns, new ones start, changed ones restart, a <config> change is a ROM update, unchanged ones keep running',
  modules: ['test-reload_driver', 'test-reload_child'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="driver" caps="100">
    <binary name="test-reload_driver"/>
    <resource name="RAM" quantum="2M"/>
    <provides><service name="ROM"/><service name="Reload_test"/></provides>
    <config>
      <version>${subConfig(0, '')}</version>
      <version expect="a:1 b:1 c:1 e:1">${subConfig(1, child('a', 1) + child('b', 1) + child('c', 1) + child('e', 1))}</version>
      <version expect="c:2 d:1 e:1">${subConfig(2, child('a', 1) + child('c', 2) + child('d', 1) + child('e', 1, '2M'))}</version>
      <version>${subConfig(3, '')}</version>
      <check hellos="a:1 b:1 c:2 d:1 e:2"/>
    </config>
  </start>
  <start name="sub" caps="600">
    <binary name="init"/>
    <resource name="RAM" quantum="16M"/>
    <route>
      <service name="ROM" label="config"><child name="driver"/></service>
      <service name="Reload_test"><child name="driver"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [/\[init -> sub\] removing "b"/, /\[init -> sub\] updating the config of "c"/, /\[init -> sub\] restarting "e"/,
    /\[init -> driver\] hellos a:1 b:1 c:2 d:1 e:2$/, /--- reload test finished ---/,
    /\[init -> sub\] config version "3": 0 children, ram \d+ of \d+ free/],
  fail: ERROR_LINE,
  timeout: '60s',
});
