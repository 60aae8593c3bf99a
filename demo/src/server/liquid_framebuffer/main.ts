/*
 * liquid_fb: a Framebuffer and Input service presented as a decorated window on
 * nitpicker (Genode's liquid_framebuffer). The client draws into a buffer paid from its
 * own session quota; each refresh copies the changed part into the window. Input that
 * nitpicker routes to the window reaches the client in framebuffer coordinates. The
 * window can be dragged by its title bar, so e.g. a whole nested nitpicker moves with it.
 * While no client holds the framebuffer the window says so, rather than being a black hole
 * (Genode's shows its zeroed buffer).
 *
 *   <config title="liquid_fb" xpos="100" ypos="100" width="400" height="300"/>
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
import { SessionDataspace } from '../../../../os/src/lib/session_dataspace.js';
import { textWidth, LINE_HEIGHT } from '../../../../os/src/lib/font.js';
import { intersect } from '../../../../os/src/lib/surface.js';
import { FramebufferSession, PIXEL_FORMAT_XRGB8888, type Rect } from '../../../../os/src/session/framebuffer/session.js';
import { Window } from '../../lib/window.js';
import { ContentInput } from '../../lib/window_input.js';

const PLACEHOLDER_BG = 0x1c2430;
const PLACEHOLDER_FG = 0x9aa8b8;

/** The window's content while no client draws: a dark field with a centred note. */
async function showPlaceholder(win: Window): Promise<void> {
  const { x, y, w, h } = win.content;
  win.surface.fill(x, y, w, h, PLACEHOLDER_BG);
  const lines = ['no framebuffer client yet', 'start one with liquid_fb as its Framebuffer'];
  lines.forEach((line, i) => {
    win.surface.clipped({ x, y, w, h }, () => {
      win.surface.text(x + Math.floor((w - textWidth(line)) / 2), y + Math.floor(h / 2) + (i - 1) * LINE_HEIGHT, line, PLACEHOLDER_FG);
    });
  });
  await win.refresh();
}

class LiquidRoot extends RootComponent<FramebufferSession> {
  private inUse: string | undefined;

  constructor(env: Env, private readonly win: Window) {
    super(env, FramebufferSession, FramebufferSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<FramebufferSession> {
    if (this.inUse !== undefined) throw new ServiceDenied(`liquid_fb is in use by "${this.inUse}"`);
    const { w, h } = this.win.content;
    const back = await SessionDataspace.create(this.env, ctx.quota, w * h * 4);
    const pixels = new Uint32Array(back.bytes.buffer, back.bytes.byteOffset, w * h);
    this.inUse = ctx.label;
    const win = this.win;
    /* the client's picture starts black, as its buffer does */
    win.surface.fill(win.content.x, win.content.y, w, h, 0x000000);
    await win.refresh();
    return Object.assign({
      dataspace: async () => back.ds,
      mode: async () => ({ width: w, height: h, format: PIXEL_FORMAT_XRGB8888 }),
      refresh: async (r: Rect) => {
        const c = intersect(r, { x: 0, y: 0, w, h });
        if (!c) return;
        const dst = win.surface;
        for (let y = c.y; y < c.y + c.h; y++) {
          dst.pixels.set(pixels.subarray(y * w + c.x, y * w + c.x + c.w), (win.content.y + y) * dst.width + win.content.x + c.x);
        }
        await win.refresh(c);
      },
      /* the mode never changes: the handler is not kept */
      modeSigh: async (c: Capability<SignalContext>) => this.env.ep.release(c),
    }, { back });
  }

  protected override async destroySession(session: FramebufferSession): Promise<void> {
    this.inUse = undefined;
    await (session as FramebufferSession & { back: SessionDataspace }).back.destroy();
    await showPlaceholder(this.win);
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let cfg: { title: string; x: number; y: number; w: number; h: number };
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text() || '<config/>', 'config of liquid_fb');
    cfg = { title: c.attr('title', 'liquid_fb'), x: c.numberAttr('xpos', 100), y: c.numberAttr('ypos', 100), w: c.numberAttr('width', 400), h: c.numberAttr('height', 300) };
    if (cfg.w < 1 || cfg.h < 1) throw c.error(`framebuffer ${cfg.w}x${cfg.h} is empty`);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const win = await Window.open(env, { title: cfg.title, x: cfg.x, y: cfg.y, width: cfg.w, height: cfg.h });
  await showPlaceholder(win);
  const input = new InputRoot(env);
  const translate = new ContentInput(cfg.w, cfg.h);
  win.listen((e) => input.submit(translate.translate(e)));
  await new LiquidRoot(env, win).announce();
  await input.announce();
  await log(`liquid_fb ready: ${cfg.w}x${cfg.h}`);
}
