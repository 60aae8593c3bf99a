import { scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

const C = 'test-init_client';

/*
 * A nested init "sub" runs two Echo servers and exports Echo to its parent with a
 * <service> node: labels starting with "test-init_client -> special" go to "echo_b" under a
 * new label, the rest to "echo_a" (default policy). The client, a sibling of "sub" in
 * the outer init, opens Echo sessions; the label each server sees is the one the request
 * arrived with at "sub". A label no policy matches is denied when there is no default
 * (the second service "Echo2").
 */
const requests = [
  ['Echo', 'plain', `echo_a: ${C} -> plain`],
  ['Echo', 'special one', 'echo_b: relabelled'],
  ['Echo', 'another', `echo_a: ${C} -> another`],
  ['Echo2', 'allowed', `echo_b: ${C} -> allowed`],
  ['Echo2', 'not allowed', 'denied'],
].map(([service, label, expect]) => `<request service="${service}" label="${label}" expect="${expect}"/>`).join('\n      ');

const server = (name: string) => `
      <start name="${name}" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
        <provides><service name="Echo"/><service name="Echo2"/></provides>
        <config name="${name}"><service name="Echo"/><service name="Echo2"/></config>
        <route><any-service><parent/></any-service></route>
      </start>`;

export default scenario({
  description: 'init <service> forwarding: a nested init exports its children\'s service to its parent\'s other children, by policy',
  modules: ['test-init_server', 'test-init_client'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="sub" caps="300">
    <binary name="init"/>
    <resource name="RAM" quantum="6M"/>
    <provides><service name="Echo"/><service name="Echo2"/></provides>
    <route><any-service><parent/></any-service></route>
    <config>
      ${parentProvides()}
      <default-route><any-service><parent/></any-service></default-route>
      <alias name="second" child="echo_b"/>
      <service name="Echo">
        <default-policy><child name="echo_a"/></default-policy>
        <policy label_prefix="${C} -> special"><child name="second" label="relabelled"/></policy>
      </service>
      <service name="Echo2">
        <policy label="${C} -> allowed"><child name="echo_b"/></policy>
      </service>${server('echo_a')}${server('echo_b')}
    </config>
  </start>
  <start name="${C}" caps="60"><resource name="RAM" quantum="1M"/>
    <config>
      ${requests}
    </config>
    <route>
      <service name="Echo"><child name="sub"/></service>
      <service name="Echo2"><child name="sub"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [/--- init routing test finished ---/, /\[init\] child "test-init_client" exited with exit value 0/],
  fail: /\] Error: /,
  timeout: '40s',
});
