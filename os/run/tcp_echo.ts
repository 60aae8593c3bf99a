import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { bridgeClient, loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * TCP between two components through nic_bridge: the client sends 1 MiB of a pattern to
 * the echo server while reading the echo, verifies every byte, closes (FIN both ways),
 * and a connection to a closed port is refused (RST).
 */
const stackNode = (name: string, config: string) => bridgeClient(name, 'test-tcp_echo', '8M', config);

export default scenario({
  description: 'tcp_echo: TCP between two components through nic_bridge, 1 MiB echoed and verified byte for byte, orderly close, a closed port refuses',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'test-tcp_echo'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="client " ip_addr="10.0.2.1"/>
      <policy label_prefix="server " ip_addr="10.0.2.2"/>`)}
  ${stackNode('server', 'role="server" address="10.0.2.2" netmask="255.255.255.0" port="7"')}
  ${stackNode('client', 'role="client" address="10.0.2.1" netmask="255.255.255.0" server="10.0.2.2" port="7" bytes="1048576"')}
</config>`,
  succeed: [
    /\[init -> server\] echo server listening on port 7/,
    /\[init -> client\] connected to 10\.0\.2\.2:7/,
    /\[init -> client\] 1048576 bytes echoed and verified/,
    /\[init -> server\] connection from 10\.0\.2\.1 closed after 1048576 bytes echoed/,
    /\[init -> client\] connect to closed port 8: .*ECONNREFUSED/,
  ],
  fail: ERROR_LINE,
  timeout: '180s',
});
