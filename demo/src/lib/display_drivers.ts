/*
 * Scenario configs of the graphical scenarios share one driver set, as in the seed's demo
 * config: pci_drv (platform_drv, handing the VGA to fb_drv), fb_drv in the given mode,
 * ps2_drv and timer, routed by the scenario's default route.
 */
export function displayDrivers(screen: { width: number; height: number }, morePolicies = ''): string {
  return `
  <start name="pci_drv" caps="100">
    <binary name="platform_drv"/>
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Platform"/></provides>
    <config> <policy label_prefix="fb_drv"> <pci class="VGA"/> </policy>${morePolicies} </config>
  </start>
  <start name="fb_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Framebuffer"/></provides>
    <config width="${screen.width}" height="${screen.height}"/>
  </start>
  <start name="ps2_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Input"/></provides>
  </start>
  <start name="timer" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Timer"/></provides>
  </start>`;
}
