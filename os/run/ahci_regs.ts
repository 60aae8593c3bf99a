import { ERROR_LINE, scenario, parentProvides, platformDriver } from '../../base/src/scenario.js';

/* a 2 MiB disk (4096 sectors of 512 bytes) on the AHCI's port 0 */
const DISK = new Uint8Array(4096 * 512);

export default scenario({
  description: 'AHCI registers and DMA buffers end to end: ABAR as register-decoded IO_MEM through Mmio, HBA reset, IDENTIFY DEVICE into a Platform DMA buffer, completion by IRQ 11',
  modules: ['platform_drv', 'test-ahci_regs'],
  disks: [DISK],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${platformDriver(`<policy label="test-ahci_regs -> ahci"> <pci class="AHCI"/> </policy>`, true)}
  <start name="test-ahci_regs" caps="100">
    <resource name="RAM" quantum="1M"/>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <service name="LOG"><parent/></service>
      <service name="ROM"><parent/></service>
      <service name="PD"><parent/></service>
      <service name="CPU"><parent/></service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> platform_drv\] 00:04\.0 8086:2922 AHCI/,
    /\[init -> test-ahci_regs\] CAP 0x[0-9a-f]+ \(6 ports, 32 slots\) PI 0x3f VS 0x10301/,
    /\[init -> test-ahci_regs\] port 0: SSTS 0x113 SIG 0x101/,
    /\[init -> test-ahci_regs\] GHC\.HR cleared itself after 0 poll\(s\), GHC\.AE 1: ok/,
    /\[init -> test-ahci_regs\] IDENTIFY: model "genode-ts AHCI disk", 4096 sectors of 512 bytes/,
    /\[init -> test-ahci_regs\] --- AHCI register test finished ---/,
    /child "test-ahci_regs" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
