import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { bridgeClient, loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * Hostile input from the wire against a TCP/IP stack: an attacker on the same nic_bridge
 * sends malformed and truncated frames, bad checksums, fragments, bogus TCP options and a
 * SYN flood at the echo server, while a genuine client transfers 256 KiB through it and
 * verifies the echo. The server logs its first drops, keeps its half-open connections
 * bounded and keeps serving.
 */
const node = (name: string, binary: string, config: string) => bridgeClient(name, binary, '8M', config);

export default scenario({
  description: 'net_hostile: malformed frames, bad checksums, bogus TCP options and a SYN flood from the wire; the TCP/IP stack keeps serving a genuine client (256 KiB echoed and verified)',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'test-tcp_echo', 'test-net_attacker'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="client " ip_addr="10.0.2.1"/>
      <policy label_prefix="server " ip_addr="10.0.2.2"/>
      <policy label_prefix="attacker " ip_addr="10.0.2.66"/>`)}
  ${node('server', 'test-tcp_echo', 'role="server" address="10.0.2.2" netmask="255.255.255.0" port="7"')}
  ${node('attacker', 'test-net_attacker', 'address="10.0.2.66" victim="10.0.2.2" port="7" syns="4000" seed="5"')}
  ${node('client', 'test-tcp_echo', 'role="client" address="10.0.2.1" netmask="255.255.255.0" server="10.0.2.2" port="7" bytes="262144" delay_ms="110"')}
</config>`,
  succeed: [
    /\[init -> server\] echo server listening on port 7/,
    /\[init -> server\] dropped frame: /,
    /\[init -> attacker\] sent \d+ malformed frames/,
    /\[init -> attacker\] sent 4000 SYNs/,
    /\[init -> client\] 262144 bytes echoed and verified/,
    /\[init -> server\] connection from 10\.0\.2\.1 closed after 262144 bytes echoed/,
    /\[init -> client\] connect to closed port 8: .*ECONNREFUSED/,
  ],
  fail: ERROR_LINE,
  timeout: '180s',
});
