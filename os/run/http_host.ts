import { ERROR_LINE, scenario, parentProvides, timerDriver, type Scenario } from '../../base/src/scenario.js';
import { cardBridge } from '../src/test/net/bridge_config.js';
import { fileBytes } from '../src/test/rom_files/stack.js';

/*
 * http_server on the emulated e1000: nic_drv -> nic_bridge -> http_server (10.0.2.15/24)
 * serving a 1 MiB file. On its own (the wire unplugged, as in the conformance matrix) it
 * checks that the stack comes up on nic_drv; the host interop test (test/run/net_host.test.ts)
 * runs it with `--nic tap --param host=yes`, where the host in a network namespace (10.0.2.1)
 * pings the server and downloads the file with curl, and a final GET /done ends the run.
 */
export const HOST_FILE = fileBytes(61, 1 << 20);
export const SERVER_ADDRESS = '10.0.2.15';

function build(host: boolean): Scenario {
  return scenario({
    description: 'http_host: http_server behind nic_bridge on nic_drv and the emulated e1000 (the host interop test reaches it over a TAP device)',
    modules: ['timer', 'platform_drv', 'nic_drv', 'nic_bridge', 'http_server'],
    network: { cards: 1 },
    roms: { 'big.bin': HOST_FILE, 'index.html': new TextEncoder().encode('genode-ts http_server on the emulated e1000\n') },
    config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${cardBridge('02:02:02:02:03:00', `<policy label_prefix="http_server " ip_addr="${SERVER_ADDRESS}"/>`)}
  <start name="http_server" caps="150">
    <resource name="RAM" quantum="8M"/>
    <config port="80" verbose="${host ? 'yes' : 'no'}">
      <interface address="${SERVER_ADDRESS}" netmask="255.255.255.0" gateway="10.0.2.1"/>
      <rom name="big.bin"/>
      <rom name="index.html"/>
    </config>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
    succeed: [
      /\[init -> nic_drv\] 00:05\.0 8086:100e MAC 52:54:00:12:34:56/,
      /\[init -> nic_bridge\] nic_bridge ready: uplink MAC 52:54:00:12:34:56/,
      /\[init -> http_server\] http_server on 10\.0\.2\.15:80 serving 2 ROM modules/,
      ...(host ? [/\[init -> http_server\] 10\.0\.2\.1:\d+: 404 \/done not found/] : []),
    ],
    fail: ERROR_LINE,
    timeout: host ? '300s' : '60s',
  });
}

export default build(false);

/** --param host=yes: wait for the host's final GET /done. */
export function configure(params: Record<string, string>): Scenario {
  return build(params.host === 'yes');
}
