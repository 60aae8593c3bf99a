import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { bridgeClient, loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * ICMP echo between two TCP/IP stacks in two components, connected through nic_bridge
 * (nic_loopback as its uplink, as in Genode's setup without a card): the pinger resolves
 * the responder by ARP and needs all 20 echo replies; a ping of an absent host times out.
 */
const stackNode = (name: string, config: string) => bridgeClient(name, 'test-net_ping', '4M', config);

export default scenario({
  description: 'ping: ICMP echo between two TCP/IP stacks in two components through nic_bridge; 20 replies, an absent host times out',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'test-net_ping'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="pinger " ip_addr="10.0.2.1"/>
      <policy label_prefix="responder " ip_addr="10.0.2.2"/>`)}
  ${stackNode('responder', 'role="responder" address="10.0.2.2" netmask="255.255.255.0"')}
  ${stackNode('pinger', 'role="pinger" address="10.0.2.1" netmask="255.255.255.0" target="10.0.2.2" count="20" payload="1000"')}
</config>`,
  succeed: [
    /\[init -> responder\] responder ready/,
    /\[init -> pinger\] 20 of 20 echo replies from 10\.0\.2\.2 \(1000-byte payload\)/,
    /\[init -> pinger\] ping of an absent host: .*ETIMEDOUT/,
  ],
  fail: ERROR_LINE,
  timeout: '90s',
});
