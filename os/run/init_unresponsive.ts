import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

const client = (name: string, mode: string, extra = '', route = '') => `
  <start name="${name}" caps="80"><binary name="test-unresponsive_client"/><resource name="RAM" quantum="1M"/>${extra}
    <config mode="${mode}"/>
    <route>${route}
      <service name="Stall"><child name="stall"/></service>
      <service name="Leave"><child name="stall"/></service>
      <service name="Echo"><child name="echo"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'a server that never answers a session request stalls nothing: a sibling keeps getting sessions from another server, and the pending requests are cleaned up when their client or the server leaves',
  modules: ['test-unresponsive_server', 'test-unresponsive_client', 'test-init_server'],
  config: `<config verbose="yes">
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  <start name="stall" caps="60"><binary name="test-unresponsive_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Stall"/><service name="Leave"/></provides>
  </start>
  <start name="echo" caps="60"><binary name="test-init_server"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Echo"/></provides>
    <config name="echo"><service name="Echo"/></config>
  </start>
  ${client('sibling', 'sibling', '\n    <provides><service name="Done"/></provides>')}
  ${client('quitter', 'quitter')}
  ${client('waiter', 'waiter', '', '\n      <service name="Done"><child name="sibling"/></service>')}
</config>`,
  succeed: [
    /\[init -> sibling\] 50 Echo sessions while a Stall request was pending/,
    /\[init -> quitter\] quitting with a Stall request pending/,
    /\[init\] child "quitter" exited with exit value 0/,
    /\[init -> stall\] "waiter -> leave" asks to leave: leaving with every request unanswered/,
    /\[init -> waiter\] Leave session: denied \("stall" is gone\)/,
    /\[init -> waiter\] Stall session: denied \("stall" is gone\)/,
    /\[init -> sibling\] Stall request: denied \("stall" is gone\)/,
    /\[init -> waiter\] donation returned/,
    /\[init -> sibling\] donation returned/,
    /\[init\] child "waiter" exited with exit value 0/,
    /\[init\] child "sibling" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  /* real time on linux, where six workers start: patient with a loaded machine */
  timeout: '60s',
});
