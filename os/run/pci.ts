import { ERROR_LINE, scenario, parentProvides, platformDriver } from '../../base/src/scenario.js';

export default scenario({
  description: 'platform driver: PCI enumeration through 0xCF8/0xCFC, devices by policy, BARs handed out as IO_MEM sessions',
  modules: ['platform_drv', 'test-platform'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${platformDriver(`<policy label="test-platform -> all"> <pci class="HOSTBRIDGE"/> <pci class="ISABRIDGE"/> <pci class="VGA"/> </policy>
      <policy label="test-platform -> vga-only"> <pci vendor_id="0x1234" device_id="0x1111"/> </policy>`, true)}
  <start name="test-platform" caps="100">
    <resource name="RAM" quantum="1M"/>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <service name="IO_PORT"><parent/></service>
      <service name="LOG"><parent/></service>
      <service name="ROM"><parent/></service>
      <service name="PD"><parent/></service>
      <service name="CPU"><parent/></service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> platform_drv\] 00:00\.0 8086:1237 HOSTBRIDGE/,
    /\[init -> platform_drv\] 00:01\.0 8086:7000 ISABRIDGE/,
    /\[init -> platform_drv\] 00:02\.0 1234:1111 VGA \(class 0x030000, rev 0x0\): io_mem 0xfd000000\+0x1000000/,
    /\[init -> test-platform\] --- platform test finished ---/,
    /child "test-platform" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
