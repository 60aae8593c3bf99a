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
import { InvalidView, NitpickerSession, NO_VIEW, type NitpickerMode } from '../../session/nitpicker/session.js';
import type { Screen } from './screen.js';
import type { InputClient, UserState } from './user_state.js';
import { View, type ViewStack } from './view_stack.js';

/** The server state a session acts on. */
export interface Compositor {
  readonly stack: ViewStack;
  readonly screen: Screen;
  readonly user: UserState;
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

  destroyView = async (handle: number): Promise<void> => {
    const v = this.view(handle);
    this.views.delete(handle);
    this.nit.stack.remove(v);
    this.ctx.quota.ram.replenish(NitpickerSession.VIEW_BYTES);
    await this.redraw(v.rect);
  };

  geometry = async (handle: number, r: Rect): Promise<void> => {
    const v = this.view(handle);
    if (!(r.w >= 0 && r.h >= 0)) throw new InvalidView(`view ${handle}: negative size ${r.w}x${r.h}`);
    const old = v.rect;
    v.rect = { ...r };
    await this.redraw(old);
    await this.redraw(v.rect);
  };

  offset = async (handle: number, x: number, y: number): Promise<void> => {
    const v = this.view(handle);
    v.bufX = x;
    v.bufY = y;
    await this.redraw(v.rect);
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
    for (const v of this.views.values()) this.nit.stack.remove(v);
    const gone = [...this.views.values()];
    this.views.clear();
    await this.env.ep.dissolve(this.inputComponent);
    await this.inputComponent.buffer.destroy();
    if (this.bufferDs) await this.bufferDs.destroy();
    this.pixelBuffer = undefined;
    for (const v of gone) await this.redraw(v.rect);
  }
}
