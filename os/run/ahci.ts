import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { testImage } from '../src/test/block/image.js';
import { cdByte } from '../src/test/ahci/main.js';
import { ahciDrivers } from '../src/test/ahci_drivers.js';

/* a 2 MiB SATA disk (4096 sectors) with generated content on port 0, a CD on port 1 */
const DISK_BLOCKS = 4096;
const CD_BYTES = 300 * 2048 + 1000;
const cd = new Uint8Array(CD_BYTES);
for (let i = 0; i < CD_BYTES; i++) cd[i] = cdByte(i);

/** platform_drv, timer and ahci_drv (with `driverAttrs` on its config) serving `client`'s "disk" and "cd". */
export function ahciConfig(client: string, clientConfig: string, driverAttrs = ''): string {
  return `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${ahciDrivers(`<policy label_prefix="${client} -> disk" device="0" writeable="yes"/>
      <policy label_prefix="${client} -> cd" device="1"/>`, driverAttrs)}
  <start name="${client}" caps="100">
    <resource name="RAM" quantum="2M"/>
    ${clientConfig}
    <route>
      <service name="Block"><child name="ahci_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`;
}

export default scenario({
  description: 'ahci_drv: the AHCI through the Platform session serves a Block session per drive; a client reads the generated disk, writes and reads back (several requests in flight, NCQ), syncs, trims, re-reads in a new session, and reads the CD (ATAPI, 2048-byte blocks)',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'test-ahci'],
  disks: [testImage(DISK_BLOCKS * 512)],
  cdrom: cd,
  config: ahciConfig('test-ahci', `<config mode="full" disk_blocks="${DISK_BLOCKS}" cd_bytes="${CD_BYTES}"/>`),
  succeed: [
    /\[init -> ahci_drv\] AHCI 00:04\.0 0x8086:0x2922 version 1\.3\.1, 6 port\(s\), 32 slot\(s\), NCQ, ports implemented 0x3f/,
    /\[init -> ahci_drv\] port 0: ATA "genode-ts AHCI disk" serial "[^"]*": 4096 blocks of 512 bytes, NCQ depth 16, TRIM/,
    /\[init -> ahci_drv\] port 1: ATAPI "[^"]*" serial "[^"]*": 301 blocks of 2048 bytes/,
    /\[init -> test-ahci\] disk: 4096 blocks of 512 bytes, writeable/,
    /\[init -> test-ahci\] disk read and verified: 2097152 bytes, up to \d+ requests in flight/,
    /\[init -> test-ahci\] wrote 64 blocks in 8 requests in flight and 256 blocks in one request, read back and verified/,
    /\[init -> test-ahci\] sync served/,
    /\[init -> test-ahci\] trim served, the blocks read back as zeros/,
    /\[init -> test-ahci\] write beyond the end: refused/,
    /\[init -> test-ahci\] new session: the written blocks read back, the others unchanged/,
    /\[init -> test-ahci\] cd: 301 blocks of 2048 bytes, read-only/,
    /\[init -> test-ahci\] cd sectors 0, 16-17, 17-56 and the last read and verified/,
    /\[init -> test-ahci\] write to the cd: refused/,
    /\[init -> test-ahci\] --- AHCI driver test finished ---/,
    /child "test-ahci" exited with exit value 0/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|: served \\(unexpected\\)|\\(Error\\)`),
  timeout: '60s',
});
