import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';
import { displayDrivers } from '../../demo/src/lib/display_drivers.js';

/*
 * The gems terminal in a nitpicker window: a client floods it with hostile bytes, then
 * writes text in colours with cursor movement and asks for the cursor position; keys typed
 * at the PS/2 keyboard (F12, nitpicker's emergency key, gives the terminal the focus)
 * reach the client as an xterm sends them, and the client writes them back. The picture
 * is checked by its hash: the same on every kernel.
 */
const SCREEN = { width: 1024, height: 768 };

export default scenario({
  description: 'gems terminal: a client\'s text in colours with cursor movement drawn in a nitpicker window (checked by framebuffer hash) after a flood of hostile bytes; typed keys (shift, ctrl, cursor keys, backspace, tab, enter) reach the client as xterm escape sequences; the terminal answers a cursor position request',
  modules: ['platform_drv', 'fb_drv', 'ps2_drv', 'timer', 'nitpicker', 'terminal', 'test-terminal_client'],
  config: `<config>
  ${parentProvides(['IO_MEM', 'IO_PORT', 'IRQ'])}
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>${displayDrivers(SCREEN)}
  <start name="nitpicker" caps="200">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Nitpicker"/></provides>
    <config background="#203040"> <trusted label="terminal"/> </config>
  </start>
  <start name="terminal" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="Terminal"/></provides>
    <config xpos="60" ypos="80" columns="80" lines="25" scrollback="500" title="Terminal"/>
  </start>
  <start name="test-terminal_client" caps="100">
    <resource name="RAM" quantum="2M"/>
    <route>
      <service name="Terminal"><child name="terminal"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  input: [
    {
      after: /\[init -> test-terminal_client\] waiting for keys/,
      keys: ['F12', 'h', 'i', '+ShiftLeft', 'a', '-ShiftLeft', '+ControlLeft', 'c', '-ControlLeft', 'ArrowUp', 'ArrowLeft', 'Backspace', 'Tab', 'Enter'],
    },
  ],
  succeed: [
    /\[init -> terminal\] terminal ready: 80x25, 500 lines of scrollback/,
    /\[init -> test-terminal_client\] terminal size 80x25/,
    /\[init -> test-terminal_client\] wrote \d+ hostile bytes/,
    /\[init -> test-terminal_client\] cursor position report: \\u001b\[16;8R/,
    /\[init -> test-terminal_client\] keys: hiA\\u0003\\u001b\[A\\u001b\[D\\u007f\\t\\r, as expected/,
    /\[init -> test-terminal_client\] done/,
  ],
  fail: ERROR_LINE,
  framebufferHash: 'e456ccf3690a09f976208a71bea07897df99d929f121057998c98ff24e99245a',
  timeout: '120s',
  ramMiB: 64,
});
