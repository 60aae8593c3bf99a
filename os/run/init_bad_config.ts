import { scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

/* nested inits, each reading one bad config; their parent and a sibling keep running */
const bad: Record<string, string> = {
  bad_xml: '<config>\n  <start name="x">\n</config>',
  unknown_node: `<config>\n  ${parentProvides()}\n  <frobnicate/>\n</config>`,
  missing_attribute: `<config>\n  ${parentProvides()}\n  <start><resource name="RAM" quantum="1M"/></start>\n</config>`,
  duplicate_start: `<config>\n  ${parentProvides()}\n  <start name="a" ram="1M"/>\n  <start name="a" ram="1M"/>\n</config>`,
  unsupported_node: `<config>\n  ${parentProvides()}\n  <affinity-space width="2" height="1"/>\n</config>`,
  unsupported_start_node: `<config>\n  ${parentProvides()}\n  <start name="a" ram="1M">\n    <affinity xpos="1"/>\n  </start>\n</config>`,
  unknown_start_attribute: `<config>\n  ${parentProvides()}\n  <start name="a" ram="1M" managing_system="yes"/>\n</config>`,
  alias_clash: `<config>\n  ${parentProvides()}\n  <start name="a" ram="1M"/>\n  <alias name="a" child="b"/>\n</config>`,
  service_without_policy: `<config>\n  ${parentProvides()}\n  <service name="LOG"/>\n</config>`,
  bad_report: `<config>\n  ${parentProvides()}\n  <report child_ram="yes" colour="red"/>\n</config>`,
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
  description: 'bad init configs (malformed XML, unknown node, unsupported nodes and attributes of Genode\'s init, missing attribute, duplicate start, alias clash, service without policy, bad report, unknown binary) are reported with their position; nothing crashes',
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
    /\[init -> unsupported_node\] Error: config of init, line 3, column 3: <affinity-space>: not supported by this init \(CPU affinities\); remove the node/,
    /\[init -> unsupported_start_node\] Error: config of init, line 4, column 5: <affinity>: not supported by this init \(CPU affinities\); remove the node/,
    /\[init -> unknown_start_attribute\] Error: config of init, line 3, column 3: <start>: attribute "managing_system" is not supported by this init/,
    /\[init -> alias_clash\] Error: config of init, line 4, column 3: <alias>: alias name "a" is also a start name \(at config of init, line 3, column 3\)/,
    /\[init -> service_without_policy\] Error: config of init, line 3, column 3: <service>: <service name="LOG"> has no <policy> and no <default-policy>/,
    /\[init -> bad_report\] Error: config of init, line 3, column 3: <report>: unknown attribute "colour"/,
    /\[init -> unknown_binary\] Error: start "ghost" failed: .*no ROM module named "no_such_binary"/,
    /\[init\] child "test-log" exited with exit value 0/,
  ],
  fail: /uncaught|\[init\] Error: /,
  timeout: '40s',
});
