import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { fileBytes } from '../src/test/rom_files/stack.js';
import { loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * http_server behind nic_bridge (uplink nic_loopback), both on the TCP/IP stack: a client
 * fetches a 200 KiB file and compares it byte for byte, then a range, a HEAD, the index
 * page and a missing file (404, logged by the server); a second client sends malformed
 * and hostile requests and the server keeps serving.
 */
const big = fileBytes(16, 200 * 1024);
const index = new TextEncoder().encode('<html><body>genode-ts http_server</body></html>\n');

const client = (name: string, address: string, fetches: string, binary = 'test-http_fetch') => `
  <start name="${name}" caps="150">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="8M"/>
    <config server="10.0.0.2" port="80" keep_alive="yes">
      <interface address="${address}" netmask="255.255.255.0"/>
      ${fetches}
    </config>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'http: http_server behind nic_bridge serves a 200 KiB ROM module to a client on the TCP/IP stack, verified byte for byte; range, HEAD, index and a 404; a hostile client gets 400/405/413/416/431/505, is cut off when it never completes a head, and the server keeps serving',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'http_server', 'test-http_fetch', 'test-http_hostile'],
  roms: { 'big.bin': big, 'index.html': index },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="http_server " ip_addr="10.0.0.2"/>
      <policy label_prefix="client " ip_addr="10.0.0.1"/>
      <policy label_prefix="hostile " ip_addr="10.0.0.3"/>`)}
  <start name="http_server" caps="150">
    <resource name="RAM" quantum="8M"/>
    <config port="80" head_timeout_ms="3000">
      <interface address="10.0.0.2" netmask="255.255.255.0"/>
      <rom name="big.bin"/>
      <rom name="index.html"/>
    </config>
    <route>
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  ${client('client', '10.0.0.1', `
      <fetch path="/big.bin" rom="big.bin"/>
      <fetch path="/big.bin" rom="big.bin" range="1000-70999"/>
      <fetch path="/big.bin" rom="big.bin" method="HEAD"/>
      <fetch path="/" rom="index.html"/>
      <fetch path="/nope.txt" status="404"/>`)}
  ${client('hostile', '10.0.0.3', '', 'test-http_hostile')}
</config>`,
  succeed: [
    /\[init -> http_server\] http_server on 10\.0\.0\.2:80 serving 2 ROM modules/,
    /\[init -> client\] GET \/big\.bin: 200, 204800 bytes match byte for byte/,
    /\[init -> client\] GET \/big\.bin bytes 1000-70999: 206, 70000 bytes match byte for byte/,
    /\[init -> client\] HEAD \/big\.bin: 200/,
    /\[init -> client\] GET \/: 200, 48 bytes match byte for byte/,
    /\[init -> http_server\] 10\.0\.0\.1:\d+: 404 \/nope\.txt not found/,
    /\[init -> client\] GET \/nope\.txt: 404, 14 bytes/,
    /\[init -> client\] all fetches done/,
    /\[init -> hostile\] POST: HTTP\/1\.1 405 Method Not Allowed/,
    /\[init -> hostile\] body: HTTP\/1\.1 413 /,
    /\[init -> hostile\] huge head: HTTP\/1\.1 431 /,
    /\[init -> hostile\] dot segments: HTTP\/1\.1 400 /,
    /\[init -> hostile\] garbage: HTTP\/1\.1 400 /,
    /\[init -> hostile\] HTTP\/2: HTTP\/1\.1 505 /,
    /\[init -> hostile\] range past the end: HTTP\/1\.1 416 /,
    /\[init -> hostile\] incomplete head: (closed|connection reset) by the server/,
    /\[init -> http_server\] 10\.0\.0\.3:\d+: no complete request within 3000 ms, closing/,
    /\[init -> hostile\] after the hostile requests: GET \/index\.html 200, 48 bytes/,
    /\[init -> hostile\] hostile client done/,
  ],
  fail: ERROR_LINE,
  timeout: '120s',
});
