import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/* what tool/run types and moves at the emulated PS/2 devices ... */
const keys = ['a', '+ShiftLeft', 'b', '-ShiftLeft', 'Enter', 'ArrowUp', 'Delete', 'ControlRight', 'Pause', 'F12'];
const mouse = [{ move: [10, -5] as [number, number] }, { buttons: 1 }, { buttons: 0 }, { buttons: 6 }, { buttons: 0 }, { wheel: 1 }, { move: [300, 0] as [number, number] }];

/* ... and the events that must arrive, in this order */
const expected = [
  'press KEY_A', 'release KEY_A', 'press KEY_LEFTSHIFT', 'press KEY_B', 'release KEY_B', 'release KEY_LEFTSHIFT',
  'press KEY_ENTER', 'release KEY_ENTER', 'press KEY_UP', 'release KEY_UP', 'press KEY_DELETE', 'release KEY_DELETE',
  'press KEY_RIGHTCTRL', 'release KEY_RIGHTCTRL', 'press KEY_PAUSE', 'release KEY_PAUSE', 'press KEY_F12', 'release KEY_F12',
  'motion 10 -5', 'press BTN_LEFT', 'release BTN_LEFT', 'press BTN_RIGHT', 'press BTN_MIDDLE', 'release BTN_RIGHT', 'release BTN_MIDDLE',
  'wheel 0 -1', 'motion 255 0', 'motion 45 0',
];

export default scenario({
  description: 'ps2_drv: key strokes and mouse motion injected at the emulated i8042 arrive as Input events with the right codes, in order',
  modules: ['ps2_drv', 'test-input'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}
  <start name="ps2_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Input"/></provides>
    <route>
      <service name="IO_PORT"><parent/></service>
      <service name="IRQ"><parent/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-input" caps="60">
    <resource name="RAM" quantum="1M"/>
    <config>
      ${expected.map((e) => `<expect event="${e}"/>`).join('\n      ')}
    </config>
    <route>
      <service name="Input"><child name="ps2_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  input: [{ after: /\[init -> test-input\] input test ready/, keys, mouse }],
  succeed: [
    /\[init -> ps2_drv\] i8042: keyboard, mouse with wheel/,
    /\[init -> test-input\] event 1: press KEY_A \(30\)/,
    /\[init -> test-input\] event 20: press BTN_LEFT \(272\)/,
    new RegExp(`--- input test finished: ${expected.length} events as expected ---`),
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
