import { scenario, parentProvides } from '../../base/src/scenario.js';

const C = 'test-init_client';

/* routes name the alias "echo" (for server_b) and "backup" (for server_a); a route to the alias itself is checked like one to the child */
const requests = [
  ['Echo', 'via_alias', `server_b: ${C} -> via_alias`],
  ['Echo', 'other', `server_a: ${C} -> other`],
  ['Echo2', 'dangling', 'denied'],
].map(([service, label, expect]) => `<request service="${service}" label="${label}" expect="${expect}"/>`).join('\n      ');

export default scenario({
  description: 'init <alias name child>: a route to an alias reaches the aliased child; an alias of an absent child denies',
  modules: ['test-init_server', 'test-init_client'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  <alias name="echo" child="server_b"/>
  <alias name="backup" child="server_a"/>
  <alias name="nowhere" child="no_such_child"/>
  <start name="server_a" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Echo"/></provides>
    <config name="server_a"><service name="Echo"/></config>
  </start>
  <start name="server_b" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Echo"/></provides>
    <config name="server_b"><service name="Echo"/></config>
  </start>
  <start name="${C}" caps="60"><resource name="RAM" quantum="1M"/>
    <config>
      ${requests}
    </config>
    <route>
      <service name="Echo" label="via_alias"><child name="echo"/></service>
      <service name="Echo"><child name="backup"/></service>
      <service name="Echo2"><child name="nowhere"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [/--- init routing test finished ---/, /child "test-init_client" exited with exit value 0/],
  fail: /\] Error: /,
  timeout: '40s',
});
