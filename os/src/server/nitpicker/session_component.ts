/*
 * One client of nitpicker. Everything it has is paid from the quota it donated: the
 * pixel buffer (a dataspace nitpicker allocates from the session's budget, so a client
 * asking for more than it gave gets OutOfRam), its views (VIEW_BYTES each), and its Input
 * session with the event buffer. Views are found by per-session handles only.
 */
import { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionContext } from '../../../../base/src/lib/root_component.js';
import { InputSessionComponent } from '../../lib/input_root.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { intersect, type Rect } from '../../lib/surface.js';
import type { InputEvent } from '../../session/input/event.js';
import { InputSession } from '../../session/input/session.js';
import { InvalidView, NitpickerSession, NitpickerView, NO_VIEW, type NitpickerMode } from '../../session/nitpicker/session.js';
import type { Screen } from './screen.js';
import type { InputClient, UserState } from './user_state.js';
import { View, type ViewStack } from './view_stack.js';

/** The server state a session acts on. */
export interface Compositor {
  readonly stack: ViewStack;
  readonly screen: Screen;
  readonly user: UserState;
}

/** The object behind a view capability: it only names its view. */
export class ViewCapObject implements NitpickerView {
  constructor(readonly view: View) {}
}

export class NitpickerSessionComponent implements NitpickerSession, InputClient {
  pixelBuffer: { pixels: Uint32Array; width: number; height: number } | undefined;
  private bufferDs: SessionDataspace | undefined;
  private readonly views = new Map<number, View>();
  private nextHandle = 1;

  private constructor(
    private readonly env: Env,
    private readonly ctx: SessionContext,
    private readonly nit: Compositor,
    private readonly inputComponent: InputSessionComponent,
    private readonly inputCap: Capability<InputSession>,
  ) {}

  static async create(env: Env, ctx: SessionContext, nit: Compositor): Promise<NitpickerSessionComponent> {
    const events = await SessionDataspace.create(env, ctx.quota, InputSession.BUFFER_BYTES);
    const input = new InputSessionComponent(env, events);
    ctx.quota.caps.withdraw(1); // the Input session's capability
    return new NitpickerSessionComponent(env, ctx, nit, input, await env.ep.manage(InputSession, input));
  }

  get label(): string {
    return this.ctx.label;
  }

  submit(events: InputEvent[]): void {
    this.inputComponent.submit(events);
  }

  private view(handle: number): View {
    const v = this.views.get(handle);
    if (!v) throw new InvalidView(`view handle ${handle} does not name a view of session "${this.label}"`);
    return v;
  }

  private neighbor(handle: number): View | undefined {
    return handle === NO_VIEW ? undefined : this.view(handle);
  }

  private redraw(r: Rect): Promise<void> {
    return this.nit.screen.redraw(r);
  }

  private async redrawViews(): Promise<void> {
    for (const v of this.views.values()) await this.redraw(v.rect);
  }

  /** Changes a view's placement: it and the views inside it are laid out again, and redrawn where they were and are. */
  private async relayout(v: View, change: () => void): Promise<void> {
    const before = [...v.tree()].map((t) => t.rect);
    change();
    v.layout();
    for (const r of before) await this.redraw(r);
    for (const t of v.tree()) await this.redraw(t.rect);
  }

  /** The view capabilities this session handed out, by view. */
  private readonly viewCaps = new Map<View, ViewCapObject>();

  /** The view goes: views inside it (of any session) are orphaned, its capability is dissolved. */
  private async retire(v: View): Promise<void> {
    const inside = [...v.tree()].slice(1);
    const rects = inside.map((t) => t.rect);
    v.detach();
    this.nit.stack.remove(v);
    const c = this.viewCaps.get(v);
    if (c) {
      this.viewCaps.delete(v);
      await this.env.ep.dissolve(c);
      this.ctx.quota.caps.replenish(1);
    }
    for (const r of rects) await this.redraw(r);
  }

  /* ------------------------------------------------------------ Nitpicker session */

  mode = async (): Promise<NitpickerMode> => ({ width: this.nit.screen.width, height: this.nit.screen.height });

  buffer = async (width: number, height: number): Promise<void> => {
    const max = NitpickerSession.MAX_BUFFER_SIDE;
    if (!(width >= 1 && height >= 1 && width <= max && height <= max)) {
      throw new BadArgument(`buffer ${width}x${height}: each side must be 1..${max}`);
    }
    /* the old buffer goes first, so its quota pays for the new one */
    const old = this.bufferDs;
    this.bufferDs = undefined;
    this.pixelBuffer = undefined;
    if (old) await old.destroy();
    try {
      const ds = await SessionDataspace.create(this.env, this.ctx.quota, NitpickerSession.bufferBytes(width, height));
      this.bufferDs = ds;
      this.pixelBuffer = { pixels: new Uint32Array(ds.bytes.buffer, ds.bytes.byteOffset, width * height), width, height };
    } finally {
      await this.redrawViews();
    }
  };

  dataspace = async () => this.bufferDs?.ds ?? Capability.invalid();

  refresh = async (r: Rect): Promise<void> => {
    for (const v of this.views.values()) {
      const shown = intersect(r, { x: v.bufX, y: v.bufY, w: v.rect.w, h: v.rect.h });
      if (shown) await this.redraw({ x: v.rect.x + shown.x - v.bufX, y: v.rect.y + shown.y - v.bufY, w: shown.w, h: shown.h });
    }
  };

  createView = async (): Promise<number> => {
    this.ctx.quota.ram.withdraw(NitpickerSession.VIEW_BYTES);
    const v = new View(this, this.nextHandle++);
    this.views.set(v.handle, v);
    this.nit.stack.toFront(v);
    return v.handle;
  };

  createChildView = async (parentCap: Capability<NitpickerView>): Promise<number> => {
    const parent = this.env.ep.lookup(parentCap, NitpickerView) as ViewCapObject | undefined;
    if (!parent) throw new InvalidView(`session "${this.label}": the parent is no view capability of this nitpicker`);
    let depth = 1;
    for (let p = parent.view.parent; p; p = p.parent) depth++;
    if (depth >= NitpickerSession.NESTING_MAX) throw new InvalidView(`session "${this.label}": child views nest at most ${NitpickerSession.NESTING_MAX} deep`);
    this.ctx.quota.ram.withdraw(NitpickerSession.VIEW_BYTES);
    const v = new View(this, this.nextHandle++);
    v.parent = parent.view;
    parent.view.children.add(v);
    this.views.set(v.handle, v);
    this.nit.stack.toFront(v);
    v.layout();
    return v.handle;
  };

  viewCapability = async (handle: number): Promise<Capability<NitpickerView>> => {
    const v = this.view(handle);
    const known = this.viewCaps.get(v);
    if (known) return this.env.ep.capOf(known) as Capability<NitpickerView>;
    this.ctx.quota.caps.withdraw(1);
    const c = new ViewCapObject(v);
    try {
      const cap = await this.env.ep.manage(NitpickerView, c);
      this.viewCaps.set(v, c);
      return cap;
    } catch (e) {
      this.ctx.quota.caps.replenish(1);
      throw e;
    }
  };

  destroyView = async (handle: number): Promise<void> => {
    const v = this.view(handle);
    this.views.delete(handle);
    await this.retire(v);
    this.ctx.quota.ram.replenish(NitpickerSession.VIEW_BYTES);
    await this.redraw(v.rect);
  };

  geometry = async (handle: number, r: Rect): Promise<void> => {
    const v = this.view(handle);
    if (!(r.w >= 0 && r.h >= 0)) throw new InvalidView(`view ${handle}: negative size ${r.w}x${r.h}`);
    await this.relayout(v, () => {
      v.asked = { ...r };
    });
  };

  offset = async (handle: number, x: number, y: number): Promise<void> => {
    const v = this.view(handle);
    await this.relayout(v, () => {
      v.askedBufX = x;
      v.askedBufY = y;
    });
  };

  toFront = async (handle: number, neighbor: number): Promise<void> => {
    const v = this.view(handle);
    this.nit.stack.toFront(v, this.neighbor(neighbor));
    await this.redraw(v.rect);
  };

  toBack = async (handle: number, neighbor: number): Promise<void> => {
    const v = this.view(handle);
    this.nit.stack.toBack(v, this.neighbor(neighbor));
    await this.redraw(v.rect);
  };

  title = async (handle: number, text: string): Promise<void> => {
    const v = this.view(handle);
    v.title = text;
    if (this.nit.user.xray) await this.redraw(v.rect);
  };

  input = async () => this.inputCap;

  /** The session is closed: its views disappear and everything it paid for is freed. */
  async destroy(): Promise<void> {
    this.nit.user.forget(this);
    const gone = [...this.views.values()];
    this.views.clear();
    for (const v of gone) await this.retire(v);
    await this.env.ep.dissolve(this.inputComponent);
    await this.inputComponent.buffer.destroy();
    if (this.bufferDs) await this.bufferDs.destroy();
    this.pixelBuffer = undefined;
    for (const v of gone) await this.redraw(v.rect);
  }
}
