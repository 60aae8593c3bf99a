import { ERROR_LINE, scenario, parentProvides, timerDriver, platformDriver } from '../../base/src/scenario.js';

/*
 * Two components exchange Ethernet frames through two e1000 cards of one machine joined by
 * a cable, each card driven by its own nic_drv: the sender's frames (60..1514 bytes, up to 16
 * unanswered) cross the wire to the echo component, which sends each back; the sender checks
 * every byte. Both see the link up.
 */
export interface NicClient { name: string; config: string; binary?: string; nic?: string }

/** platform_drv and a nic_drv for each of the machine's two cards: nic_a (00:05.0) and nic_b (00:06.0). */
export function cardPairDrivers(): string {
  const drv = (name: string) => `
  <start name="${name}" caps="150">
    <binary name="nic_drv"/>
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Nic"/></provides>
    <config/>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
  return `${platformDriver(`<policy label="nic_a -> nic"> <device name="00:05.0"/> </policy>
      <policy label="nic_b -> nic"> <device name="00:06.0"/> </policy>`)}${drv('nic_a')}${drv('nic_b')}`;
}

/** A component on a NIC server (default: test-nic_peer) with a Timer. */
export function nicClient(c: NicClient, nic: string): string {
  return `
  <start name="${c.name}" caps="100">
    <binary name="${c.binary ?? 'test-nic_peer'}"/>
    <resource name="RAM" quantum="2M"/>
    ${c.config}
    <route>
      <service name="Nic"><child name="${nic}"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

/** platform_drv, nic_drv for each card (nic_a, nic_b), `a` on nic_a, `b` on nic_b, `more` where they say. */
export function nicPairConfig(a: NicClient, b: NicClient, more: NicClient[] = []): string {
  return `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${cardPairDrivers()}${nicClient(a, 'nic_a')}${nicClient(b, 'nic_b')}${more.map((c) => nicClient(c, c.nic ?? 'nic_a')).join('')}
</config>`;
}

export default scenario({
  description: 'nic_loopback: two components exchange frames through nic_drv and two e1000 cards of one machine joined by a cable (descriptor rings, DMA, IRQs); frames of 60..1514 bytes verified byte for byte, link up on both',
  modules: ['timer', 'platform_drv', 'nic_drv', 'test-nic_peer'],
  network: { cards: 2, wire: 'loopback' },
  config: nicPairConfig(
    { name: 'sender', config: '<config role="sender" probe_ms="100" frames="300" window="16" seed="3" min_size="60"/>' },
    { name: 'echo', config: '<config role="echo" frames="300"/>' },
  ),
  succeed: [
    /\[init -> nic_a\] 00:05\.0 8086:100e MAC 52:54:00:12:34:56, link up/,
    /\[init -> nic_b\] 00:06\.0 8086:100e MAC 52:54:00:12:34:57, link up/,
    /\[init -> sender\] MAC 52:54:00:12:34:56, link up/,
    /\[init -> echo\] MAC 52:54:00:12:34:57, link up/,
    /\[init -> sender\] 300 frames \(\d+ bytes, 60\.\.1514 bytes each\) came back and verified byte for byte/,
    /\[init -> echo\] echoed 300 frames/,
    /\[init -> sender\] sender done/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
