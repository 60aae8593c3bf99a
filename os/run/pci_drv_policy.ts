import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/* pci_drv with a <policy>: its "PCI" sessions follow the policies as Platform sessions do. */
export default scenario({
  description: 'pci_drv with a policy: a PCI session sees the devices its policy permits, a label without policy gets no session',
  modules: ['pci_drv', 'test-pci_drv'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
  <start name="pci_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="PCI"/><service name="Platform"/></provides>
    <config> <policy label="test-pci_drv -> vga"> <pci class="VGA"/> </policy> </config>
  </start>
  <start name="test-pci_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <config expect="policy"/>
  </start>
</config>`,
  succeed: [
    /\[init -> test-pci_drv\] --- pci_drv test finished ---/,
    /child "test-pci_drv" exited with exit value 0/,
  ],
  fail: /\] Error: |every PCI session may use every device/,
  timeout: '30s',
});
