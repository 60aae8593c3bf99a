/* fb_drv's parts: the VBE dispi interface of the emulated VGA, refresh clipping. */
import test from 'ava';
import { BochsVbe } from '../../os/src/drivers/framebuffer/bochs_vbe.js';
import { clip } from '../../os/src/drivers/framebuffer/session_component.js';
import { Pc } from '../../tool/pc/index.js';
import { pcPorts } from './ports.js';

test('probe reads the interface version and limits, setMode switches to a linear mode', async (t) => {
  const pc = new Pc();
  const vbe = new BochsVbe(pcPorts(pc, 0x1ce, 3));
  const limits = await vbe.probe();
  t.deepEqual(limits, { version: 0xb0c5, maxWidth: 16000, maxHeight: 12000, maxBpp: 32, videoMemory: 16 * 1024 * 1024 });
  t.is(await vbe.setMode(800, 600, 32), 3200);
  const m = pc.vga.mode();
  t.true(m.enabled && m.linearFramebuffer);
  t.is(m.width, 800);
  t.is(m.height, 600);
});

test('a mode the adapter cannot show is refused', async (t) => {
  const vbe = new BochsVbe(pcPorts(new Pc({ vramBytes: 1024 * 1024 }), 0x1ce, 3));
  await t.throwsAsync(vbe.setMode(1024, 768, 32), { message: /the adapter refused 1024x768x32/ });
});

test('refresh rectangles are clipped to the screen', (t) => {
  t.deepEqual(clip({ x: -5, y: 10, w: 20, h: 1000 }, 640, 480), { x: 0, y: 10, w: 15, h: 470 });
  t.is(clip({ x: 640, y: 0, w: 10, h: 10 }, 640, 480), undefined);
  t.is(clip({ x: 0, y: 0, w: 0, h: 10 }, 640, 480), undefined);
});
