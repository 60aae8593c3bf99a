/*
 * test-nitpicker_hostile: a client that tries what a Trojan horse would. On a session of
 * its own it asks for more than it donated, creates views until its quota is gone and
 * names view handles it never got; then it shows a window and, in front of the victim's
 * view, a picture of a label saying "victim". It logs the first key event it receives:
 * the user gives it the focus only at the very end, so that must be the final key.
 */
import { GenodeError, OutOfRam } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../lib/log.js';
import { Surface } from '../../lib/surface.js';
import { InputEventType } from '../../session/input/event.js';
import { keyCodeName } from '../../session/input/keycodes.js';
import { NitpickerConnection } from '../../session/nitpicker/connection.js';
import { InvalidView, NitpickerSession, NO_VIEW } from '../../session/nitpicker/session.js';
import { FAKE_LABEL, FAKE_LABEL_COLOR, FAKE_LABEL_TEXT, HOSTILE, HOSTILE_COLOR } from './layout.js';

const name = (e: unknown) => (e instanceof GenodeError ? e.name : String(e));

async function attacks(env: Env, log: (t: string) => Promise<void>): Promise<void> {
  const before = await env.pd.quota();
  const nit = await NitpickerConnection.open(env, { label: 'attack' });
  const s = nit.session;

  /* a 64 MiB buffer, paid with nothing but the session's initial donation */
  try {
    await s.buffer(4096, 4096);
    await log('Error: nitpicker allocated a 64 MiB buffer beyond the donation');
  } catch (e) {
    await log(`64 MiB buffer beyond the donation refused: ${name(e)}`);
  }
  /* the connection offers to pay for it, and the client's own quota cannot */
  try {
    await nit.buffer(4096, 4096);
    await log('Error: a 64 MiB buffer was paid from a 1 MiB quota');
  } catch (e) {
    await log(`64 MiB buffer paid from its own quota: ${name(e)}`);
  }

  let views = 0;
  for (;;) {
    try {
      await s.createView();
      views++;
    } catch (e) {
      if (!(e instanceof OutOfRam)) throw e;
      break;
    }
  }
  await log(`views until its donation ran out: ${views} x ${NitpickerSession.VIEW_BYTES} bytes, then OutOfRam`);

  let refused = 0;
  for (let h = views + 1; h <= views + 64; h++) {
    try {
      await s.geometry(h, { x: 0, y: 0, w: 320, h: 240 });
    } catch (e) {
      if (e instanceof InvalidView) refused++;
    }
  }
  await log(`${refused} of 64 view handles it was never given refused (InvalidView)`);

  /* a parent view must be a view capability: its own session capability is none */
  try {
    await s.createChildView(nit.connection.cap as never);
    await log('Error: a child view inside a session capability was created');
  } catch (e) {
    await log(`a child view inside something that is no view capability refused: ${name(e)}`);
  }

  const pixels = await nit.buffer(64, 64);
  await log(pixels.every((p) => p === 0) ? 'a fresh buffer holds no pixels of anyone else' : 'Error: a fresh buffer holds old pixels');

  await nit.close();
  const after = await env.pd.quota();
  const lost = (before.ramQuota - before.ramUsed) - (after.ramQuota - after.ramUsed);
  await log(lost === 0 ? 'attack session closed: every byte it donated came back' : `Error: closing the attack session left ${lost} bytes with nitpicker`);
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  await attacks(env, log);

  const nit = await NitpickerConnection.open(env);
  const pixels = await nit.buffer(HOSTILE.w, HOSTILE.h + FAKE_LABEL.h);
  const s = new Surface(pixels, HOSTILE.w, HOSTILE.h + FAKE_LABEL.h);
  s.fill(0, 0, HOSTILE.w, HOSTILE.h, HOSTILE_COLOR);
  /* below the window's pixels: a copy of what a nitpicker label for "victim" looks like */
  s.fill(0, HOSTILE.h, FAKE_LABEL.w, FAKE_LABEL.h, FAKE_LABEL_COLOR);
  s.text(3, HOSTILE.h + 1, FAKE_LABEL_TEXT, 0x000000);

  const window = await nit.createView();
  await nit.session.geometry(window, HOSTILE);
  await nit.session.toFront(window, NO_VIEW);
  const fake = await nit.createView();
  await nit.session.geometry(fake, FAKE_LABEL);
  await nit.session.offset(fake, 0, HOSTILE.h);
  await nit.session.title(fake, 'secret');
  await nit.session.toFront(fake, NO_VIEW);
  await nit.refresh(0, 0, HOSTILE.w, HOSTILE.h + FAKE_LABEL.h);

  let first = true;
  await nit.input(async (e) => {
    if (e.type !== InputEventType.PRESS || e.code >= 0x100 || !first) return;
    first = false;
    await log(`first key event: ${keyCodeName(e.code)}`);
  });
  await log('fake label shown in front of the victim');
}
