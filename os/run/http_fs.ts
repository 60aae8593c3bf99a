import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { fileBytes } from '../src/test/rom_files/stack.js';
import { buildTar } from '../src/test/rom_files/tar_image.js';
import { loopbackBridge } from '../src/test/net/bridge_config.js';

/*
 * http_server serving the files of a File_system session: the vfs server exports a tar
 * archive read-only; a client behind nic_bridge fetches a nested file and a 100 KiB file
 * byte for byte, and gets 404 for a directory and a missing file.
 */
const big = fileBytes(23, 100 * 1024);
const readme = new TextEncoder().encode('served from a File_system session\n');
const site = buildTar([
  { type: 'file', name: 'big.bin', data: big },
  { type: 'dir', name: 'docs' },
  { type: 'file', name: 'docs/readme.txt', data: readme },
]);

const netRoute = `
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>`;

export default scenario({
  description: 'http_fs: http_server serves the files of a File_system session (the vfs server with a tar archive) to a client behind nic_bridge; files verified byte for byte, a directory and a missing file 404',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'vfs', 'http_server', 'test-http_fetch'],
  roms: { 'site.tar': site, 'big.bin': big, 'readme.txt': readme },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="http_server " ip_addr="10.0.0.2"/>
      <policy label_prefix="client " ip_addr="10.0.0.1"/>`)}
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs> <tar name="site.tar"/> </vfs>
      <default-policy root="/" writeable="no"/>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="http_server" caps="150">
    <resource name="RAM" quantum="8M"/>
    <config port="80">
      <interface address="10.0.0.2" netmask="255.255.255.0"/>
      <file_system/>
    </config>
    <route>${netRoute}
      <service name="File_system"><child name="vfs"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="client" caps="150">
    <binary name="test-http_fetch"/>
    <resource name="RAM" quantum="8M"/>
    <config server="10.0.0.2" port="80" keep_alive="yes">
      <interface address="10.0.0.1" netmask="255.255.255.0"/>
      <fetch path="/docs/readme.txt" rom="readme.txt"/>
      <fetch path="/big.bin" rom="big.bin"/>
      <fetch path="/big.bin" rom="big.bin" range="50000-60000"/>
      <fetch path="/docs" status="404"/>
      <fetch path="/docs/missing.txt" status="404"/>
    </config>
    <route>${netRoute}
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> http_server\] http_server on 10\.0\.0\.2:80 serving files of the File_system session/,
    /\[init -> client\] GET \/docs\/readme\.txt: 200, 34 bytes match byte for byte/,
    /\[init -> client\] GET \/big\.bin: 200, 102400 bytes match byte for byte/,
    /\[init -> client\] GET \/big\.bin bytes 50000-60000: 206, 10001 bytes match byte for byte/,
    /\[init -> client\] GET \/docs: 404/,
    /\[init -> client\] GET \/docs\/missing\.txt: 404/,
    /\[init -> client\] all fetches done/,
  ],
  fail: ERROR_LINE,
  timeout: '120s',
});
