/*
 * Scenario configs of the network scenarios share one uplink: nic_loopback (Genode's setup
 * without a card) under nic_bridge with the given MAC base and <policy> nodes.
 */
export function loopbackBridge(mac: string, policies: string): string {
  return `
  <start name="nic_loopback" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Nic"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="nic_bridge" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Nic"/></provides>
    <config mac="${mac}">
      ${policies}
    </config>
    <route>
      <service name="Nic"><child name="nic_loopback"/></service>
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
