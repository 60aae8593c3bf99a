/*
 * nitpicker: a small secure GUI server (Genode's os/src/server/nitpicker). It owns the
 * screen (a Framebuffer session) and the user's input (an Input session), lets each client
 * show its own pixel buffer through views, and routes every input event to exactly one
 * client, chosen by the user alone. No widgets, fonts for clients or window decorations:
 * clients do all that themselves; nitpicker only labels what it shows (X-ray mode).
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { describeError, openLog } from '../../lib/log.js';
import { FramebufferConnection } from '../../session/framebuffer/connection.js';
import { InputConnection } from '../../session/input/connection.js';
import { keyCodeName } from '../../session/input/keycodes.js';
import { NitpickerSession } from '../../session/nitpicker/session.js';
import { parseConfig, type NitpickerConfig } from './config.js';
import { Screen } from './screen.js';
import { NitpickerSessionComponent, type Compositor } from './session_component.js';
import { UserState } from './user_state.js';
import { ViewStack } from './view_stack.js';

class NitpickerRoot extends RootComponent<NitpickerSession> {
  readonly sessions: NitpickerSessionComponent[] = [];

  constructor(env: Env, private readonly nit: Compositor) {
    super(env, NitpickerSession, NitpickerSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<NitpickerSession> {
    const s = await NitpickerSessionComponent.create(this.env, ctx, this.nit);
    this.sessions.push(s);
    return s;
  }

  protected override async destroySession(session: NitpickerSession): Promise<void> {
    const s = session as NitpickerSessionComponent;
    this.sessions.splice(this.sessions.indexOf(s), 1);
    await s.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: NitpickerConfig;
  try {
    config = parseConfig((await AttachedRomDataspace.open(env, 'config')).text());
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const fb = await FramebufferConnection.open(env);
  const { width, height } = fb.mode;
  const stack = new ViewStack();
  let root: NitpickerRoot | undefined;
  const user = new UserState(stack, width, height, {
    xrayKey: config.xrayKey,
    emergencyKey: config.emergencyKey,
    trusted: () => root?.sessions.find((s) => config.trusted(s.label)),
  });
  const screen = new Screen(fb.pixels, width, height, stack, user, config.background, (r) => fb.refresh(r.x, r.y, r.w, r.h));
  user.display = screen;
  await screen.redrawAll();
  await InputConnection.open(env, (e) => user.handle(e));
  root = new NitpickerRoot(env, { stack, screen, user });
  await root.announce();
  await log(`screen ${width}x${height}, X-ray key ${keyCodeName(config.xrayKey)}, emergency key ${keyCodeName(config.emergencyKey)}`);
}
