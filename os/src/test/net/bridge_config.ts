/*
 * Scenario configs of the network scenarios share their uplinks: nic_bridge with the given
 * MAC base and <policy> nodes on nic_loopback (Genode's setup without a card) or on nic_drv
 * and the machine's first e1000.
 */
import { platformDriver } from '../../../../base/src/scenario.js';

export function loopbackBridge(mac: string, policies: string): string {
  return `
  <start name="nic_loopback" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Nic"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>${bridge('nic_loopback', mac, policies)}`;
}

export function cardBridge(mac: string, policies: string): string {
  return `${platformDriver('<policy label="nic_drv -> nic"> <device name="00:05.0"/> </policy>')}
  <start name="nic_drv" caps="150">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Nic"/></provides>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${bridge('nic_drv', mac, policies)}`;
}

function bridge(uplink: string, mac: string, policies: string): string {
  return `
  <start name="nic_bridge" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Nic"/></provides>
    <config mac="${mac}">
      ${policies}
    </config>
    <route>
      <service name="Nic"><child name="${uplink}"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

/** A client of nic_bridge with a Timer (a TCP/IP stack's component): `binary` started as `name`. */
export function bridgeClient(name: string, binary: string, ram: string, config: string): string {
  return `
  <start name="${name}" caps="100">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="${ram}"/>
    <config ${config}/>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}
