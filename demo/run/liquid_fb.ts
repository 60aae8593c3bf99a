import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';
import { displayDrivers } from '../src/lib/display_drivers.js';

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
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>${displayDrivers(SCREEN)}
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
