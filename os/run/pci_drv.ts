import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/*
 * pci_drv as the seed ran it: no <config> of its own (its config ROM is init's, without
 * a <policy>), serving the seed's "PCI" service to every client, each device to one
 * session at a time; Platform sessions still need a policy (pci_drv_policy.ts: with one).
 */
/** pci_drv (with `pciConfig` as its <config>, if any) and test-pci_drv expecting `expect`. */
export function pciDrvConfig(pciConfig: string, expect: 'open' | 'policy'): string {
  return `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
  <start name="pci_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="PCI"/><service name="Platform"/></provides>${pciConfig ? `
    ${pciConfig}` : ''}
  </start>
  <start name="test-pci_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <config expect="${expect}"/>
  </start>
</config>`;
}

export default scenario({
  description: 'pci_drv without a config (the seed\'s): PCI sessions see every device, devices exclusive, Platform sessions refused',
  modules: ['pci_drv', 'test-pci_drv'],
  config: pciDrvConfig('', 'open'),
  succeed: [
    /\[init -> pci_drv\] Warning: no <policy> in the config: every PCI session may use every device/,
    /\[init -> test-pci_drv\] --- pci_drv test finished ---/,
    /child "test-pci_drv" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
