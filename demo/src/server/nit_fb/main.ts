/*
 * nit_fb: a plain framebuffer as one nitpicker view (Genode's nit_fb). The client's
 * Framebuffer dataspace is nit_fb's nitpicker buffer itself, so a refresh is passed to
 * nitpicker without a copy. Input nitpicker routes to the view reaches the client in
 * view coordinates. No decoration: the client is all there is of it on the screen.
 *
 *   <config xpos="0" ypos="0" width="320" height="240"/>
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import type { Capability } from '../../../../base/src/capability.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { InputRoot } from '../../../../os/src/lib/input_root.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { FramebufferSession, PIXEL_FORMAT_XRGB8888, type Rect } from '../../../../os/src/session/framebuffer/session.js';
import { InputEventType } from '../../../../os/src/session/input/event.js';
import { NitpickerConnection } from '../../../../os/src/session/nitpicker/connection.js';
import { NO_VIEW } from '../../../../os/src/session/nitpicker/session.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let cfg: { x: number; y: number; w: number; h: number };
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text() || '<config/>', 'config of nit_fb');
    cfg = { x: c.numberAttr('xpos', 0), y: c.numberAttr('ypos', 0), w: c.numberAttr('width', 320), h: c.numberAttr('height', 240) };
    if (cfg.w < 1 || cfg.h < 1) throw c.error(`framebuffer ${cfg.w}x${cfg.h} is empty`);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const nit = await NitpickerConnection.open(env);
  await nit.buffer(cfg.w, cfg.h);
  const ds = await nit.session.dataspace();
  const view = await nit.createView();
  await nit.session.geometry(view, { x: cfg.x, y: cfg.y, w: cfg.w, h: cfg.h });
  await nit.session.title(view, 'nit_fb');
  await nit.session.toFront(view, NO_VIEW);

  const input = new InputRoot(env);
  await nit.input((e) => {
    /* positions relative to the view; everything else as it comes */
    input.submit([e.type === InputEventType.ABSOLUTE ? { type: e.type, x: e.x - cfg.x, y: e.y - cfg.y } : e]);
  });

  let inUse: string | undefined;
  class NitFbRoot extends RootComponent<FramebufferSession> {
    protected async createSession(ctx: SessionContext): Promise<FramebufferSession> {
      if (inUse !== undefined) throw new ServiceDenied(`nit_fb is in use by "${inUse}"`);
      inUse = ctx.label;
      return {
        dataspace: async () => ds,
        mode: async () => ({ width: cfg.w, height: cfg.h, format: PIXEL_FORMAT_XRGB8888 }),
        refresh: async (r: Rect) => nit.refresh(r.x, r.y, r.w, r.h),
        /* the mode never changes: the handler is not kept */
        modeSigh: async (c: Capability<SignalContext>) => env.ep.release(c),
      };
    }

    protected override async destroySession(): Promise<void> {
      inUse = undefined;
    }
  }
  await new NitFbRoot(env, FramebufferSession, FramebufferSession.service).announce();
  await input.announce();
  await log(`nit_fb ready: ${cfg.w}x${cfg.h} at ${cfg.x},${cfg.y}`);
}
