import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { bridgeClient, loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * nic_bridge between nic_loopback (the uplink) and three clients: "a" sends 200 frames to
 * "b"'s virtual MAC and gets each back verified, while "evil" forges a's MAC, floods
 * broadcasts and unicast to unknown MACs, and watches for others' unicast: it sees none,
 * its forged frames are dropped with a log line, and a's exchange completes.
 */
const peer = (name: string, config: string) => bridgeClient(name, 'test-nic_bridge_peer', '2M', config);

export default scenario({
  description: 'nic_bridge: two clients exchange 200 frames through their virtual MACs, verified byte for byte, while a third forges MACs and floods; it sees none of their unicast',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'test-nic_bridge_peer'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="a " mac="02:00:00:00:00:0a" ip_addr="10.0.0.1"/>
      <policy label_prefix="b " mac="02:00:00:00:00:0b" ip_addr="10.0.0.2"/>`)}
  ${peer('b', 'role="b"')}
  ${peer('a', 'role="a" peer_mac="02:00:00:00:00:0b" frames="200" window="8"')}
  ${peer('evil', 'role="evil" victim_mac="02:00:00:00:00:0a" floods="300" watch_ms="1500"')}
</config>`,
  succeed: [
    /\[init -> nic_bridge\] nic_bridge ready: uplink MAC 02:02:02:02:02:00, link up/,
    /\[init -> a\] peer 02:00:00:00:00:0b answers/,
    /\[init -> a\] 200 frames \(\d+ bytes\) echoed through nic_bridge and verified/,
    /\[init -> nic_bridge\] \[evil -> evil\] dropping frames: forged source MAC/,
    /\[init -> evil\] sent 900 hostile frames/,
    /\[init -> evil\] saw no unicast of other clients/,
  ],
  fail: ERROR_LINE,
  timeout: '90s',
});
