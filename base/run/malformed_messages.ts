import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT, initDrivenBy } from '../src/scenario.js';

const subInit = (late: boolean) => `<config verbose="yes">
        ${parentProvides(['Init_driver'])}
        ${DEFAULT_ROUTE_TO_PARENT}
        <start name="server" caps="100">
          <binary name="test-malformed_server"/>
          <resource name="RAM" quantum="1M"/>
          <provides><service name="Malformed_test"/></provides>
        </start>
        <start name="client" caps="100">
          <binary name="test-malformed_client"/>
          <resource name="RAM" quantum="2M"/>
          <config messages="10000"/>
        </start>
        ${late ? `<start name="late" caps="50"><binary name="test-malformed_late"/><resource name="RAM" quantum="1M"/></start>` : ''}
      </config>`;

export default scenario({
  description: 'a hostile client sends 10,000 malformed messages to a server, its init and core: every one is refused with an error, all keep working, init starts a child afterwards',
  modules: ['test-init_driver', 'test-malformed_server', 'test-malformed_client', 'test-malformed_late'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="driver" caps="100">
    <binary name="test-init_driver"/>
    <resource name="RAM" quantum="2M"/>
    <provides><service name="ROM"/><service name="LOG"/><service name="Init_driver"/></provides>
    <config>
      ${subInit(false)}
      ${subInit(true)}
    </config>
  </start>${initDrivenBy('target-init')}
</config>`,
  succeed: [/\[init -> target-init -> client\] malformed messages refused/, /\[init -> target-init -> late\] late child works/],
  fail: ERROR_LINE,
  timeout: '120s',
});
