/*
 * The framebuffer scenarios (os/run/framebuffer.ts, framebuffer_lfb.ts): platform_drv, fb_drv and the test
 * drawing its picture, with fb_drv buffered (the client draws into a back buffer, refresh
 * copies) or not (the client draws into the framebuffer BAR it got from the driver). Either
 * way the screen must end up showing exactly the picture.
 */
import { createHash } from 'node:crypto';
import { ERROR_LINE, scenario, parentProvides, type Scenario, platformDriver } from '../../../../base/src/scenario.js';
import { patternBytes } from './pattern.js';

const WIDTH = 640;
const HEIGHT = 480;

export function framebufferScenario(buffered: boolean): Scenario {
  return scenario({
    description: `fb_drv: Bochs VGA found through the platform driver, VBE mode set, test picture through ${buffered ? 'a buffered' : 'an unbuffered'} Framebuffer session; the screen is checked`,
    modules: ['platform_drv', 'fb_drv', 'test-framebuffer'],
    config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${platformDriver(`<policy label_prefix="fb_drv"> <pci class="VGA"/> </policy>`)}
  <start name="fb_drv" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Framebuffer"/></provides>
    <config width="${WIDTH}" height="${HEIGHT}" buffered="${buffered ? 'yes' : 'no'}"/>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <service name="IO_PORT"><parent/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-framebuffer" caps="100">
    <resource name="RAM" quantum="4M"/>
    <route>
      <service name="Framebuffer"><child name="fb_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
    succeed: [
      new RegExp(`\\[init -> fb_drv\\] 00:02\\.0: VBE 0xb0c5, 16 MiB, mode ${WIDTH}x${HEIGHT}x32${buffered ? ', buffered' : ''}$`),
      new RegExp(`\\[init -> test-framebuffer\\] framebuffer mode ${WIDTH}x${HEIGHT} XRGB8888`),
      /\[init -> test-framebuffer\] test pattern drawn/,
    ],
    /* what the adapter shows must be exactly the picture the test drew */
    framebufferHash: createHash('sha256').update(patternBytes(WIDTH, HEIGHT)).digest('hex'),
    fail: ERROR_LINE,
    timeout: '10s',
  });
}
