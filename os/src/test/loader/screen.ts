/*
 * test-loader_screen: nitpicker's screen in the loader scenario (a 320x240 Framebuffer of
 * its own and an idle Input). It checks where the loaded subsystem's view really is: the
 * bounding box of the pixels in the view's colour must become, in order, each rectangle
 * its config expects (<expect x y w h/>; w="0" means: no such pixel left). With
 * <expect ... click="yes" key="KEY_A"/> the user then clicks into the view and types the
 * key, which must reach the subsystem (it logs it).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { TestScreenRoot } from '../framebuffer/screen_root.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { InputRoot } from '../../lib/input_root.js';
import { InputEventType } from '../../session/input/event.js';
import { KEY } from '../../session/input/keycodes.js';
import { openLog } from '../../lib/log.js';
import type { Rect } from '../../session/framebuffer/session.js';
import { VIEW_COLOR } from './view.js';

const W = 320;
const H = 240;

/** The bounding box of the pixels in `color` (w = 0 if there are none). */
function boundingBox(pixels: Uint32Array, color: number): Rect {
  let x1 = W, y1 = H, x2 = -1, y2 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if ((pixels[y * W + x]! & 0xffffff) !== color) continue;
      if (x < x1) x1 = x;
      if (x > x2) x2 = x;
      if (y < y1) y1 = y;
      if (y > y2) y2 = y;
    }
  }
  return x2 < 0 ? { x: 0, y: 0, w: 0, h: 0 } : { x: x1, y: y1, w: x2 - x1 + 1, h: y2 - y1 + 1 };
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-loader_screen');
  const expected = config.children('expect').map((n) => ({
    x: n.numberAttr('x', 0), y: n.numberAttr('y', 0), w: n.numberAttr('w'), h: n.numberAttr('h', 0),
    click: n.boolAttr('click'), key: n.attr('key', ''),
  }));
  const same = (a: Rect, b: Rect) => (a.w === 0 && b.w === 0) || (a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);
  let next = 0;
  const screen = new TestScreenRoot(env, W, H, () => {
    while (next < expected.length && screen.pixels && same(boundingBox(screen.pixels, VIEW_COLOR), expected[next]!)) {
      const r = expected[next++]!;
      void log(r.w === 0 ? 'no pixel of the view is left on the screen' : `the view's pixels are on the screen at ${r.x},${r.y} ${r.w}x${r.h}`);
      if (r.click) {
        input.submit([
          { type: InputEventType.ABSOLUTE, x: r.x + 5, y: r.y + 5 },
          { type: InputEventType.PRESS, code: KEY.BTN_LEFT! },
          { type: InputEventType.RELEASE, code: KEY.BTN_LEFT! },
        ]);
      }
      if (r.key) input.submit([{ type: InputEventType.PRESS, code: KEY[r.key]! }, { type: InputEventType.RELEASE, code: KEY[r.key]! }]);
    }
  });
  const input = new InputRoot(env);
  await screen.announce();
  await input.announce();
  await log('screen ready');
}
