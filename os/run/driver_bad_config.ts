import { scenario, parentProvides } from '../../base/src/scenario.js';

const driver = (name: string, binary: string, config: string) => `
  <start name="${name}" caps="100">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="1M"/>
    ${config}
    <route><any-service><parent/></any-service></route>
  </start>`;

export default scenario({
  description: 'drivers refuse bad configs with an error naming what is wrong, before touching any device, and end',
  modules: ['platform_drv', 'fb_drv', 'uart_drv'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}
  ${driver('platform_bad_class', 'platform_drv', '<config><policy label="x"><pci class="GPU"/></policy></config>')}
  ${driver('platform_no_label', 'platform_drv', '<config><policy><pci class="VGA"/></policy></config>')}
  ${driver('fb_bad_width', 'fb_drv', '<config width="wide" height="480"/>')}
  ${driver('uart_bad_index', 'uart_drv', '<config uart="7"/>')}
  ${driver('uart_bad_baud', 'uart_drv', '<config baud="100000"/>')}
</config>`,
  succeed: [
    /\[init -> platform_bad_class\] Error: XmlError: .*unknown PCI class "GPU" \(known: .*VGA/,
    /\[init -> platform_no_label\] Error: XmlError: .*a <policy> needs label, label_prefix or label_suffix/,
    /\[init -> fb_bad_width\] Error: bad config: XmlError: .*attribute width="wide" is not a number/,
    /\[init -> uart_bad_index\] Error: bad config: XmlError: .*uart="7" names no UART/,
    /\[init -> uart_bad_baud\] Error: bad config: UartError: baud rate 100000 is not 115200 divided by 1\.\.65535/,
    /child "platform_bad_class" exited with exit value 1/,
    /child "platform_no_label" exited with exit value 1/,
    /child "fb_bad_width" exited with exit value 1/,
    /child "uart_bad_index" exited with exit value 1/,
    /child "uart_bad_baud" exited with exit value 1/,
  ],
  /* a driver that got past its config would set up its device and say so */
  fail: /\] (UART at|00:0\d\.\d: VBE)|uncaught/,
  timeout: '30s',
});
