/*
 * test-nitpicker_victim: an ordinary nitpicker client with a "secret" view; it logs every
 * key that reaches it, so the scenario can tell where the user's typing went.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../lib/log.js';
import { InputEventType } from '../../session/input/event.js';
import { keyCodeName } from '../../session/input/keycodes.js';
import { NitpickerConnection } from '../../session/nitpicker/connection.js';
import { NO_VIEW } from '../../session/nitpicker/session.js';
import { VICTIM, VICTIM_COLOR } from './layout.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const nit = await NitpickerConnection.open(env);
  const pixels = await nit.buffer(VICTIM.w, VICTIM.h);
  pixels.fill(VICTIM_COLOR);
  const view = await nit.createView();
  await nit.session.geometry(view, VICTIM);
  await nit.session.title(view, 'secret');
  /*
   * Behind everything: the hostile client's fake label must end up in front of this view
   * whichever of the two stacks its view first (on linux that is up to the host's timing)
   */
  await nit.session.toBack(view, NO_VIEW);
  await nit.input(async (e) => {
    if (e.type === InputEventType.PRESS && e.code < 0x100) await log(`key ${keyCodeName(e.code)}`);
  });
  await log('secret view shown');
}
