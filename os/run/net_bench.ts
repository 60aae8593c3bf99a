import { ERROR_LINE, scenario, parentProvides, timerDriver, type Scenario } from '../../base/src/scenario.js';
import { loopbackBridge } from '../src/test/net/bridge_config.js';
import { cardPairDrivers, nicClient } from './nic_loopback.js';

/*
 * Network throughput for npm run bench (tool/bench/net.ts): 1514-byte frames through a NIC
 * session to nic_loopback and back (the packet streams beneath), the same frames through
 * nic_drv and the emulated e1000 over the cable between the machine's two cards to an echo
 * on the other card and back (what card and driver sustain), then TCP between two components
 * through nic_bridge into a sink. As a scenario it checks that all three complete.
 * configure({ frames, card_frames, bytes }) sets the amounts (tool/bench/net.ts).
 */
export interface NetBenchAmounts { frames: number; cardFrames: number; bytes: number }
export const NET_BENCH_DEFAULTS: NetBenchAmounts = { frames: 500, cardFrames: 200, bytes: 1 << 20 };

export function netBenchScenario(a: NetBenchAmounts = NET_BENCH_DEFAULTS): Scenario {
  return scenario({
    description: 'Network throughput benchmark: NIC packet streams (1514-byte frames to nic_loopback and back), the same frames through nic_drv and two e1000 cards joined by a cable, and TCP between two components through nic_bridge',
    modules: ['timer', 'nic_loopback', 'nic_bridge', 'platform_drv', 'nic_drv', 'test-nic_peer', 'test-tcp_echo', 'test-net_bench'],
    network: { cards: 2, wire: 'loopback' },
    config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="net_bench " ip_addr="10.0.2.1"/>
      <policy label_prefix="sink " ip_addr="10.0.2.2"/>`)}${cardPairDrivers()}${nicClient({ name: 'echo', config: '<config role="echo" frames="1000000"/>' }, 'nic_b')}
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
    <config address="10.0.2.1" netmask="255.255.255.0" sink="10.0.2.2" port="9" frames="${a.frames}" card_frames="${a.cardFrames}" bytes="${a.bytes}"/>
    <route>
      <service name="Nic" label="raw"><child name="nic_loopback"/></service>
      <service name="Nic" label="card"><child name="nic_a"/></service>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
    succeed: [
      /\[init -> net_bench\] bench nic-1514 done \d+/,
      /\[init -> net_bench\] bench card-1514 done \d+/,
      /\[init -> net_bench\] bench tcp done \d+/,
      /\[init -> sink\] connection from 10\.0\.2\.1 closed after \d+ bytes received/,
      /\[init -> net_bench\] --- net_bench finished ---/,
    ],
    fail: ERROR_LINE,
    timeout: '180s',
  });
}

export default netBenchScenario();

/** --param frames=N card_frames=N bytes=N */
export function configure(params: Record<string, string>): Scenario {
  const n = (name: string, dflt: number): number => {
    const v = params[name];
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`net_bench: --param ${name}=${v} is no positive integer`);
    return Number(v);
  };
  return netBenchScenario({ frames: n('frames', NET_BENCH_DEFAULTS.frames), cardFrames: n('card_frames', NET_BENCH_DEFAULTS.cardFrames), bytes: n('bytes', NET_BENCH_DEFAULTS.bytes) });
}
