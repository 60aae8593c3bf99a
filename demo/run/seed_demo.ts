import { ERROR_LINE, scenario } from '../../base/src/scenario.js';

/*
 * The seed's default demo, its "Configuration" slide unchanged: pci_drv, vesa_drv,
 * ps2_drv, timer, nitpicker and launchpad, with RAM quanta only (no caps: init's default
 * of 100 caps applies) and the default route alone. nitpicker and launchpad have no
 * <config> of their own: their "config" ROM goes to the parent and is init's config, whose
 * nodes they ignore (launchpad finds no <launcher> in it: an empty menu, as Genode's
 * launchpad showed with init's config). vesa_drv reaches pci_drv through the seed's "PCI"
 * service; pci_drv without a <policy> lets every PCI session use every device.
 *
 * SEED_CONFIG is the slide's text byte for byte: the lines between the ``` fences under
 * "# Configuration" of the slides' text, indentation included, joined by "\n" with no
 * trailing newline (test/demo/seed_demo.test.ts compares them).
 */
export const SEED_CONFIG = `<config>
  <parent-provides>
    <service name="ROM"/>      <service name="RAM"/>      <service name="IRQ"/>
    <service name="IO_MEM"/>   <service name="IO_PORT"/>   <service name="CAP"/>
    <service name="PD"/>       <service name="RM"/>       <service name="CPU"/>
    <service name="LOG"/>
  </parent-provides>
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
  <start name="pci_drv">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="PCI"/></provides> </start>
  <start name="vesa_drv">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Framebuffer"/></provides> </start>
  <start name="ps2_drv">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Input"/></provides> </start>
  <start name="timer">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Timer"/></provides> </start>
  <start name="nitpicker">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Nitpicker"/></provides> </start>
  <start name="launchpad">
    <resource name="RAM" quantum="32M"/> </start>
</config>`;

export default scenario({
  description: 'the seed slide\'s demo config unchanged: pci_drv, vesa_drv, ps2_drv, timer, nitpicker and launchpad (reading init\'s config) boot and show the launchpad',
  modules: ['pci_drv', 'vesa_drv', 'ps2_drv', 'timer', 'nitpicker', 'launchpad'],
  config: SEED_CONFIG,
  succeed: [
    /\[init -> vesa_drv\] .*mode 1024x768x32/,
    /\[init -> nitpicker\] screen 1024x768/,
    /\[init -> launchpad\] launchpad ready: 0 launchers/,
  ],
  fail: ERROR_LINE,
  framebufferHash: '3d9f5ad6859e76ae53173e1f518c0dd0b1e6728f301a8d6f3f4dd8e0b09c18d8',
  timeout: '60s',
  ramMiB: 96,
});
