import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * Network throughput for npm run bench (tool/bench/net.ts): 1514-byte frames through a NIC
 * session to nic_loopback and back (the packet streams beneath), then TCP between two
 * components through nic_bridge into a sink. As a scenario it checks that both complete.
 */
export default scenario({
  description: 'Network throughput benchmark: NIC packet streams (1514-byte frames to nic_loopback and back) and TCP between two components through nic_bridge',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'test-tcp_echo', 'test-net_bench'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="net_bench " ip_addr="10.0.2.1"/>
      <policy label_prefix="sink " ip_addr="10.0.2.2"/>`)}
  <start name="sink" caps="100">
    <binary name="test-tcp_echo"/>
    <resource name="RAM" quantum="8M"/>
    <config role="sink" address="10.0.2.2" netmask="255.255.255.0" port="9"/>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="net_bench" caps="100">
    <binary name="test-net_bench"/>
    <resource name="RAM" quantum="8M"/>
    <config address="10.0.2.1" netmask="255.255.255.0" sink="10.0.2.2" port="9" frames="500" bytes="1048576"/>
    <route>
      <service name="Nic" label="raw"><child name="nic_loopback"/></service>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> net_bench\] bench nic-1514 done \d+/,
    /\[init -> net_bench\] bench tcp done \d+/,
    /\[init -> sink\] connection from 10\.0\.2\.1 closed after \d+ bytes received/,
    /\[init -> net_bench\] --- net_bench finished ---/,
  ],
  fail: ERROR_LINE,
  timeout: '180s',
});
