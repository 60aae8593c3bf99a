import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { loopbackBridge } from '../../os/src/test/net/bridge_config.js';

/*
 * tcp_terminal behind nic_bridge: a Terminal client echoes what it reads; a TCP client
 * connects to the terminal's port, sends 64 KiB and gets them back byte for byte; a second
 * connection meanwhile is refused with a message.
 */
const net = (name: string, binary: string, config: string, extra = '', terminal = '<service name="Terminal"><child name="tcp_terminal"/></service>') => `
  <start name="${name}" caps="150">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="8M"/>
    ${extra}
    <config ${config}</config>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      ${terminal}
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'tcp_terminal: a Terminal session over TCP through nic_bridge; 64 KiB echoed by the Terminal client verified byte for byte; a second connection refused',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'tcp_terminal', 'test-tcp_terminal_peer'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="tcp_terminal " ip_addr="10.0.0.2"/>
      <policy label_prefix="remote " ip_addr="10.0.0.1"/>`)}
  ${net('tcp_terminal', 'tcp_terminal', `>
      <interface address="10.0.0.2" netmask="255.255.255.0"/>
      <policy label_prefix="terminal" port="8888"/>
    `, '<provides><service name="Terminal"/></provides>', '')}
  ${net('terminal', 'test-tcp_terminal_peer', 'role="terminal">')}
  ${net('remote', 'test-tcp_terminal_peer', `role="remote" server="10.0.0.2" port="8888" bytes="65536">
      <interface address="10.0.0.1" netmask="255.255.255.0"/>
    `)}
</config>`,
  succeed: [
    /\[init -> tcp_terminal\] "terminal -> shell" listens on port 8888/,
    /\[init -> remote\] connected to 10\.0\.0\.2:8888/,
    /\[init -> remote\] second connection: tcp_terminal: this terminal is in use/,
    /\[init -> remote\] 65536 bytes echoed through the terminal and verified/,
    /\[init -> tcp_terminal\] "terminal -> shell" port 8888: 10\.0\.0\.1:\d+ closed the connection/,
  ],
  fail: ERROR_LINE,
  timeout: '120s',
});
