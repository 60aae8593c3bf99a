/*
 * launchpad: starts programs with the RAM quanta its config names, shows what quota it
 * has left, and kills them again; the parent of everything it starts.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { KEY } from '../../../../os/src/session/input/keycodes.js';
import { Window } from '../../lib/window.js';
import { parseLaunchpadConfig, type LaunchpadConfig } from './config.js';
import { Launchpad, mb } from './launchpad.js';
import { CONTENT_HEIGHT, CONTENT_WIDTH, LaunchpadWindow } from './launchpad_window.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: LaunchpadConfig;
  try {
    config = parseLaunchpadConfig((await AttachedRomDataspace.open(env, 'config')).text());
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const launchpad = new Launchpad(env, config, (t) => void log(t));
  const win = await Window.open(env, { title: 'Launchpad', x: config.x, y: config.y, width: CONTENT_WIDTH, height: CONTENT_HEIGHT });
  const ui = new LaunchpadWindow(win);
  const redraw = async () => {
    ui.render(launchpad.launchers, launchpad.running, await launchpad.quota(), launchpad.message);
    await win.refresh();
  };
  launchpad.onChange = redraw;
  win.listen(async (e) => {
    if (e.type === 'motion') {
      if (ui.hoverAt(e.x, e.y)) await redraw();
    } else if (e.type === 'leave') {
      if (ui.leave()) await redraw();
    } else if (e.type === 'press' && e.code === KEY.BTN_LEFT) {
      const action = ui.actionAt(e.x, e.y);
      if (action?.kind === 'launch') await launchpad.start(action.launcher);
      else if (action?.kind === 'kill') {
        ui.disarm();
        await launchpad.kill(action.name);
      }
    } else if (e.type === 'wheel') {
      ui.scrollBy(e.steps);
      await redraw();
    }
  });
  await redraw();
  const q = await launchpad.quota();
  await log(`launchpad ready: ${config.launchers.length} launchers, ${mb(q.avail)} of ${mb(q.total)} free`);
}
