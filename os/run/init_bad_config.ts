import { scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

/* nested inits, each reading one bad config; their parent and a sibling keep running */
const bad: Record<string, string> = {
  bad_xml: '<config>\n  <start name="x">\n</config>',
  unknown_node: `<config>\n  ${parentProvides()}\n  <frobnicate/>\n</config>`,
  missing_attribute: `<config>\n  ${parentProvides()}\n  <start><resource name="RAM" quantum="1M"/></start>\n</config>`,
  duplicate_start: `<config>\n  ${parentProvides()}\n  <start name="a" ram="1M"/>\n  <start name="a" ram="1M"/>\n</config>`,
  unknown_binary: `<config>\n  ${parentProvides()}\n  ${DEFAULT_ROUTE_TO_PARENT}\n  <start name="ghost" ram="1M" caps="50"><binary name="no_such_binary"/></start>\n</config>`,
};

const starts = Object.keys(bad).map((name) => `
  <start name="${name}" caps="200">
    <binary name="init"/>
    <resource name="RAM" quantum="2M"/>
    <route>
      <service name="ROM" label="config"><parent label="${name}.config"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`).join('');

export default scenario({
  description: 'bad init configs (malformed XML, unknown node, missing attribute, duplicate start, unknown binary) are reported with their position; nothing crashes',
  modules: ['test-log'],
  roms: Object.fromEntries(Object.entries(bad).map(([k, v]) => [`${k}.config`, v])),
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}${starts}
  <start name="test-log"><resource name="RAM" quantum="1M"/></start>
</config>`,
  succeed: [
    /\[init -> bad_xml\] Error: config of init: malformed XML at line \d+, column \d+/,
    /\[init -> unknown_node\] Error: config of init, line 3, column 3: <frobnicate>: unknown node in <config>/,
    /\[init -> missing_attribute\] Error: config of init, line 3, column 3: <start>: missing attribute "name"/,
    /\[init -> duplicate_start\] Error: config of init, line 4, column 3: <start>: duplicate start name "a" \(first at config of init, line 3, column 3\)/,
    /\[init -> unknown_binary\] Error: start "ghost" failed: .*no ROM module named "no_such_binary"/,
    /\[init\] child "test-log" exited with exit value 0/,
  ],
  fail: /uncaught|\[init\] Error: /,
  timeout: '40s',
});
