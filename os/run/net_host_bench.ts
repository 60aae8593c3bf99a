import { ERROR_LINE, scenario, parentProvides, timerDriver, type Scenario } from '../../base/src/scenario.js';
import { bridgeClient, cardBridge } from '../src/test/net/bridge_config.js';
import { fileBytes } from '../src/test/rom_files/stack.js';

/*
 * The component end of npm run bench's host TCP rows (tool/bench/net_host.ts): on nic_drv and
 * the emulated e1000, behind nic_bridge, http_server (10.0.2.15:80) serves a 1 MiB file the
 * host downloads and a sink (10.0.2.16:9, test-tcp_echo role="sink") takes what the host
 * sends. On its own (as in the conformance matrix; the card cabled to a second one without a
 * driver, so that the link is up) it checks that both come up; with `--nic tap --param host=yes` a final GET /done from the host ends the run.
 */
export const BENCH_FILE = fileBytes(62, 1 << 20);
export const BENCH_ADDRESSES = { http: '10.0.2.15', sink: '10.0.2.16' };
export const SINK_PORT = 9;

function build(host: boolean): Scenario {
  return scenario({
    description: 'net_host_bench: http_server and a TCP sink behind nic_bridge on nic_drv and the emulated e1000 (npm run bench reaches them from the host over a TAP device)',
    modules: ['timer', 'platform_drv', 'nic_drv', 'nic_bridge', 'http_server', 'test-tcp_echo'],
    /* the sink's stack waits for the link: on its own the card is cabled to the (driverless) second one */
    network: host ? { cards: 1 } : { cards: 2, wire: 'loopback' },
    roms: { 'big.bin': BENCH_FILE },
    config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${cardBridge('02:02:02:02:04:00', `<policy label_prefix="http_server " ip_addr="${BENCH_ADDRESSES.http}"/>
      <policy label_prefix="sink " ip_addr="${BENCH_ADDRESSES.sink}"/>`)}
  <start name="http_server" caps="150">
    <resource name="RAM" quantum="8M"/>
    <config port="80" verbose="${host ? 'yes' : 'no'}">
      <interface address="${BENCH_ADDRESSES.http}" netmask="255.255.255.0" gateway="10.0.2.1"/>
      <rom name="big.bin"/>
    </config>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${bridgeClient('sink', 'test-tcp_echo', '8M', `role="sink" address="${BENCH_ADDRESSES.sink}" netmask="255.255.255.0" port="${SINK_PORT}"`)}
</config>`,
    succeed: [
      /\[init -> nic_drv\] 00:05\.0 8086:100e MAC 52:54:00:12:34:56/,
      /\[init -> http_server\] http_server on 10\.0\.2\.15:80 serving 1 ROM module/,
      /\[init -> sink\] sink listening on port 9/,
      ...(host ? [/\[init -> http_server\] 10\.0\.2\.1:\d+: 404 \/done not found/] : []),
    ],
    fail: ERROR_LINE,
    timeout: host ? '600s' : '60s',
  });
}

export default build(false);

/** --param host=yes: wait for the host's final GET /done. */
export function configure(params: Record<string, string>): Scenario {
  return build(params.host === 'yes');
}
