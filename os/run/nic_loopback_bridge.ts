import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { cardPairDrivers } from './nic_loopback.js';

/*
 * nic_loopback through nic_bridge: the sender is a client of nic_bridge, whose uplink is
 * nic_drv on the first of two wired e1000 cards; the echo component sits on the second
 * card's nic_drv. The sender's broadcast frames leave through the bridge (with the uplink's
 * MAC as source), cross the wire, come back from the echo and through the bridge to the
 * sender, which checks every byte.
 */
export default scenario({
  description: 'nic_loopback_bridge: a nic_bridge client exchanges frames with a component on the other of two wired e1000 cards (nic_bridge -> nic_drv -> wire -> nic_drv -> echo and back), verified byte for byte',
  modules: ['timer', 'platform_drv', 'nic_drv', 'nic_bridge', 'test-nic_peer'],
  network: { cards: 2, wire: 'loopback' },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${cardPairDrivers()}
  <start name="nic_bridge" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Nic"/></provides>
    <config mac="02:02:02:02:03:00"/>
    <route>
      <service name="Nic"><child name="nic_a"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="sender" caps="100">
    <binary name="test-nic_peer"/>
    <resource name="RAM" quantum="2M"/>
    <config role="sender" probe_ms="100" frames="300" window="16" seed="5" min_size="60" wire_src="52:54:00:12:34:56"/>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="echo" caps="100">
    <binary name="test-nic_peer"/>
    <resource name="RAM" quantum="2M"/>
    <config role="echo" frames="300"/>
    <route>
      <service name="Nic"><child name="nic_b"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> nic_a\] 00:05\.0 8086:100e MAC 52:54:00:12:34:56, link up/,
    /\[init -> nic_b\] 00:06\.0 8086:100e MAC 52:54:00:12:34:57, link up/,
    /\[init -> sender\] MAC 02:02:02:02:03:00, link up/,
    /\[init -> sender\] 300 frames \(\d+ bytes, 60\.\.1514 bytes each\) came back and verified byte for byte/,
    /\[init -> echo\] echoed 300 frames/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
