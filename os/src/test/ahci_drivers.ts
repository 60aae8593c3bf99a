/*
 * Scenario configs share one storage-driver stack: platform_drv handing the AHCI to
 * ahci_drv, and ahci_drv (its Timer from a sibling "timer", see timerDriver) with the
 * given <policy> nodes choosing a drive per Block session.
 */
import { platformDriver } from '../../../base/src/scenario.js';

/** The <start> nodes of platform_drv and ahci_drv; `policies` go into ahci_drv's <config `attrs`>. */
export function ahciDrivers(policies: string, attrs = ''): string {
  return `${platformDriver(`<policy label="ahci_drv -> ahci"> <pci class="AHCI"/> </policy>`)}
  <start name="ahci_drv" caps="200">
    <resource name="RAM" quantum="6M"/>
    <provides><service name="Block"/></provides>
    <config${attrs ? ` ${attrs}` : ''}>
      ${policies}
    </config>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}
