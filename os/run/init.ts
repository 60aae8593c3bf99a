import { scenario, parentProvides } from '../../base/src/scenario.js';

const C = 'test-init_client';

/* every target kind, every label matcher, and the denial cases */
const requests = [
  ['Echo', 'to_a', `server_a: ${C} -> to_a`],
  ['Echo', 'b_prefixed', `server_b: ${C} -> b_prefixed`],
  ['Echo', 'x_via_suffix', `server_a: ${C} -> x_via_suffix`],
  ['Echo', 'unscoped', `server_b: ${C} -> unscoped`],
  ['Echo', 'rename', 'server_a: renamed'],
  ['Echo', 'fallthrough', `server_b: ${C} -> fallthrough`],
  ['Echo', 'gone', 'denied'],
  ['Echo', 'anything else', 'denied'],
  ['Echo2', 'single provider', `server_c: ${C} -> single provider`],
  ['Echo3', 'two providers', 'denied'],
  ['Secret', '', 'denied'],
].map(([service, label, expect]) => `<request service="${service}" label="${label}" expect="${expect}"/>`).join('\n      ');

export default scenario({
  description: 'init routing: label, label_prefix, label_suffix, unscoped_label, target labels, parent/child/any-child targets, denials',
  modules: ['test-init_server', 'test-init_client'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  <start name="server_a" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Echo"/><service name="Echo3"/></provides>
    <config name="server_a"><service name="Echo"/><service name="Echo3"/></config>
  </start>
  <start name="server_b" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Echo"/><service name="Echo3"/></provides>
    <config name="server_b"><service name="Echo"/><service name="Echo3"/></config>
  </start>
  <start name="server_c" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Echo2"/><service name="Secret"/></provides>
    <config name="server_c"><service name="Echo2"/><service name="Secret"/></config>
  </start>
  <start name="${C}" caps="60"><resource name="RAM" quantum="1M"/>
    <config>
      ${requests}
    </config>
    <route>
      <service name="Echo" label="to_a"><child name="server_a"/></service>
      <service name="Echo" label_prefix="b_"><child name="server_b"/></service>
      <service name="Echo" label_suffix="_via_suffix"><child name="server_a"/></service>
      <service name="Echo" unscoped_label="${C} -> unscoped"><child name="server_b"/></service>
      <service name="Echo" label="rename"><child name="server_a" label="renamed"/></service>
      <any-service label="fallthrough"><child name="no_such_child"/></any-service>
      <service name="Echo" label="fallthrough"><child name="server_b"/></service>
      <service name="Echo" label="gone"><child name="no_such_child"/></service>
      <service name="Echo2"><any-child/></service>
      <service name="Echo3"><any-child/></service>
      <service name="LOG"><parent/></service>
      <service name="ROM"><parent/></service>
    </route>
  </start>
</config>`,
  succeed: [/--- init routing test finished ---/, /child "test-init_client" exited with exit value 0/],
  /* init's own errors are expected here (the ambiguous route); a child's are not */
  fail: /\[init -> [^\]]*\] Error: /,
  timeout: '40s',
});
