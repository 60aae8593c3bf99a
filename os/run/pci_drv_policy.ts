import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { pciDrvConfig } from './pci_drv.js';

/* pci_drv with a <policy>: its "PCI" sessions follow the policies as Platform sessions do. */
export default scenario({
  description: 'pci_drv with a policy: a PCI session sees the devices its policy permits, a label without policy gets no session',
  modules: ['pci_drv', 'test-pci_drv'],
  config: pciDrvConfig('<config> <policy label="test-pci_drv -> vga"> <pci class="VGA"/> </policy> </config>', 'policy'),
  succeed: [
    /\[init -> test-pci_drv\] --- pci_drv test finished ---/,
    /child "test-pci_drv" exited with exit value 0/,
  ],
  fail: /\] Error: |every PCI session may use every device/,
  timeout: '30s',
});
