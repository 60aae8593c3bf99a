import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/*
 * liquid_fb on nitpicker with no client yet: its window shows a note instead of a black
 * field (test/demo/liquid_fb.test.ts looks at the screen).
 */
const SCREEN = { width: 1024, height: 768 };

export default scenario({
  description: 'liquid_fb as a window on nitpicker, before any client: the window says it waits for one',
  modules: ['platform_drv', 'fb_drv', 'ps2_drv', 'timer', 'nitpicker', 'liquid_fb'],
  config: `<config>
  ${parentProvides(['IO_MEM', 'IO_PORT', 'IRQ'])}
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
  <start name="pci_drv" caps="100">
    <binary name="platform_drv"/>
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Platform"/></provides>
    <config> <policy label_prefix="fb_drv"> <pci class="VGA"/> </policy> </config>
  </start>
  <start name="fb_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Framebuffer"/></provides>
    <config width="${SCREEN.width}" height="${SCREEN.height}"/>
  </start>
  <start name="ps2_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Input"/></provides>
  </start>
  <start name="timer" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Timer"/></provides>
  </start>
  <start name="nitpicker" caps="200">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Nitpicker"/></provides>
    <config background="#203040"/>
  </start>
  <start name="liquid_fb" caps="200">
    <resource name="RAM" quantum="4M"/>
    <config title="liquid_fb" xpos="300" ypos="180" width="400" height="300"/>
  </start>
</config>`,
  succeed: [/\[init -> liquid_fb\] liquid_fb ready: 400x300/],
  fail: ERROR_LINE,
  timeout: '60s',
  ramMiB: 64,
});
