/*
 * test-loader_view: a subsystem with a Nitpicker view, started by test-loader through
 * the loader. It takes the (constrained) mode as its buffer size, tries one pixel more
 * first (the loader refuses it), paints the buffer, shows it in a view at its origin
 * and waits until the loader ends it. Its config (a ROM module of its client) names the
 * view's title; a new version the client commits retitles the view. It logs the keys it
 * gets (nitpicker sends them only once the user clicked into its view).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { InputEventType } from '../../session/input/event.js';
import { KEY, keyCodeName } from '../../session/input/keycodes.js';
import { NitpickerConnection } from '../../session/nitpicker/connection.js';

/** The colour the view shows (test-loader_screen looks for it). */
export const VIEW_COLOR = 0x3366cc;
/** The colour of test-loader's own window, the parent view. */
export const PARENT_COLOR = 0x808080;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const np = await NitpickerConnection.open(env, { label: 'view' });
  const { width, height } = np.mode;
  await log(`mode ${width}x${height}`);
  try {
    await np.buffer(width + 1, height);
    await log(`Error: a buffer of ${width + 1}x${height} was not refused`);
  } catch (e) {
    await log(`buffer ${width + 1}x${height} refused: ${describeError(e)}`);
  }
  const pixels = await np.buffer(width, height);
  pixels.fill(VIEW_COLOR);
  await np.refresh(0, 0, width, height);
  const view = await np.createView();
  await np.session.geometry(view, { x: 0, y: 0, w: width, h: height });
  await np.session.toFront(view, 0);
  await log(`view ${width}x${height} created`);
  await np.input(async (e) => {
    if (e.type === InputEventType.PRESS && e.code !== KEY.BTN_LEFT) await log(`key ${keyCodeName(e.code)}`);
  });
  const config = await AttachedRomDataspace.open(env, 'config');
  const retitle = async () => {
    const title = XmlNode.parse(config.text(), 'config of test-loader_view').attr('title', '');
    await np.session.title(view, title);
    await log(`title "${title}"`);
  };
  await config.sigh(await env.signalHandler(async () => {
    await config.update();
    await retitle();
  }));
  await retitle();
  return new Promise<void>(() => {});
}
