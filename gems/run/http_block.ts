import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { testImage } from '../../os/src/test/block/image.js';
import { loopbackBridge } from '../../os/src/test/net/bridge_config.js';

/*
 * http_block: a disk image served by http_server, read as a Block device through HTTP
 * Range requests by http_block, both behind nic_bridge; test-rom_block reads every block,
 * several requests in flight, checks every byte, and is refused writes and reads past the end.
 */
const IMAGE_SIZE = 100_000;

const netRoute = `
      <service name="Nic"><child name="nic_bridge"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>`;

export default scenario({
  description: 'http_block: a Block session backed by HTTP range requests to http_server through nic_bridge; every block read and verified, writes and reads past the end refused',
  modules: ['timer', 'nic_loopback', 'nic_bridge', 'http_server', 'http_block', 'test-rom_block'],
  roms: { 'disk.img': testImage(IMAGE_SIZE) },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${loopbackBridge('02:02:02:02:03:00', `<policy label_prefix="http_server " ip_addr="10.0.0.2"/>
      <policy label_prefix="http_block " ip_addr="10.0.0.3"/>`)}
  <start name="http_server" caps="150">
    <resource name="RAM" quantum="8M"/>
    <config port="80">
      <interface address="10.0.0.2" netmask="255.255.255.0"/>
      <rom name="disk.img"/>
    </config>
    <route>${netRoute}
    </route>
  </start>
  <start name="http_block" caps="150">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="Block"/></provides>
    <config server="10.0.0.2" port="80" path="/disk.img" block_size="512">
      <interface address="10.0.0.3" netmask="255.255.255.0"/>
    </config>
    <route>${netRoute}
    </route>
  </start>
  <start name="test-rom_block" caps="100">
    <resource name="RAM" quantum="2M"/>
    <config image_size="${IMAGE_SIZE}" request_blocks="8" batch="8"/>
    <route>
      <service name="Block"><child name="http_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> http_block\] http:\/\/10\.0\.0\.2:80\/disk\.img: 100000 bytes as 196 blocks of 512 bytes, read-only/,
    /\[init -> test-rom_block\] 100352 bytes read \(100000 of the image, the rest zero\) and verified, up to 8 requests in flight/,
    /\[init -> test-rom_block\] write to the read-only device: refused/,
    /\[init -> test-rom_block\] trim of the read-only device: refused/,
    /\[init -> test-rom_block\] read beyond the last block: refused/,
    /\[init -> test-rom_block\] read far beyond the device: refused/,
    /\[init -> test-rom_block\] block 0 unchanged after the refused write; sync served/,
    /\[init -> test-rom_block\] rom_block test done/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|: served \\(unexpected\\)`),
  timeout: '120s',
});
