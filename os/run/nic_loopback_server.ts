import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/*
 * The NIC session over nic_loopback: a client sends frames of every size 18..1514 (up to
 * 16 unanswered), gets each back through its rx stream and checks every byte; sends of sizes
 * no Ethernet frame has are refused at the client.
 */
export default scenario({
  description: 'nic_loopback_server: the NIC session tx and rx packet streams; frames of 18..1514 bytes sent to nic_loopback come back verified byte for byte; malformed frame sizes refused',
  modules: ['nic_loopback', 'test-nic_peer'],
  config: `<config>
  ${parentProvides()}
  <start name="nic_loopback" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Nic"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="test-nic_peer" caps="100">
    <resource name="RAM" quantum="2M"/>
    <config role="sender" frames="300" window="16" seed="7"/>
    <route>
      <service name="Nic"><child name="nic_loopback"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> nic_loopback\] nic_loopback ready/,
    /\[init -> test-nic_peer\] MAC 02:02:02:02:02:00, link up/,
    /\[init -> test-nic_peer\] 300 frames \(\d+ bytes, 18\.\.1514 bytes each\) came back and verified byte for byte/,
    /\[init -> test-nic_peer\] frame of 13 bytes refused/,
    /\[init -> test-nic_peer\] frame of 1515 bytes refused/,
    /\[init -> test-nic_peer\] sender done/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
