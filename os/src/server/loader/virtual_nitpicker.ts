/*
 * The Nitpicker session a loaded subsystem gets (Genode's loader Gui::Session_component):
 * a real session at the loader's nitpicker, paid by the subsystem as any session, behind
 * a proxy the loader serves. The proxy shows the subsystem the constrained mode, refuses
 * a buffer beyond it, and makes every view of the subsystem a child view of the client's
 * parent view (a view capability of the client's own nitpicker session), so nitpicker
 * places it relative to the parent and clips it there: the subsystem cannot show anything
 * outside. The first view is where the client's view_geometry puts it (else where the
 * subsystem asked); its first geometry signals view_ready, and its size is view_size.
 */
import { ServiceDenied, BadArgument } from '../../../../base/src/errors.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import type { Capability } from '../../../../base/src/capability.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { Donor, RoutedSession, Service } from '../../init/service.js';
import { ParentService } from '../../init/service.js';
import type { Rect } from '../../session/framebuffer/session.js';
import { NitpickerSession, type NitpickerMode, type NitpickerView } from '../../session/nitpicker/session.js';

/** What the Loader session sets; the proxy reads it on every placement. */
export class ViewPlacement {
  maxSize: NitpickerMode | undefined;
  /** The client's view the subsystem's views are placed in. */
  parent: Capability<NitpickerView> | undefined;
  /** The client's view_geometry (relative to the parent view) and buffer offset. */
  geometry: { r: Rect; x: number; y: number } | undefined;
  viewReadySigh: Capability<SignalContext> | undefined;
  /** The proxy of the subsystem's session (at most one). */
  proxy: NitpickerProxy | undefined;
}

const same = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

export class NitpickerProxy implements NitpickerSession {
  /** The subsystem's first view and the geometry it asked for. */
  firstView: number | undefined;
  asked: Rect | undefined;
  /** Where the first view is relative to the parent view now (for the loader's log). */
  placed: Rect | undefined;

  constructor(
    private readonly env: Env,
    private readonly real: Client<NitpickerSession>,
    private readonly placement: ViewPlacement,
    private readonly log: (text: string) => void,
    private readonly name: string,
  ) {}

  mode = async () => this.placement.maxSize ?? this.real.mode();

  buffer = async (width: number, height: number) => {
    const max = this.placement.maxSize;
    if (max && (width > max.width || height > max.height)) {
      throw new BadArgument(`buffer ${width}x${height} of "${this.name}" exceeds the loader's constrained geometry ${max.width}x${max.height}`);
    }
    await this.real.buffer(width, height);
  };

  dataspace = () => this.real.dataspace();
  refresh = (r: Rect) => this.real.refresh(r);
  input = () => this.real.input();
  toFront = (view: number, neighbor: number) => this.real.toFront(view, neighbor);
  toBack = (view: number, neighbor: number) => this.real.toBack(view, neighbor);
  title = (view: number, text: string) => this.real.title(view, text);
  viewCapability = (view: number) => this.real.viewCapability(view);
  /* a view inside another view of the subsystem's own stays inside the parent view all the same */
  createChildView = (parent: Capability<NitpickerView>) => this.real.createChildView(parent);

  createView = async () => {
    const parent = this.placement.parent;
    const view = parent ? await this.real.createChildView(parent) : await this.real.createView();
    this.firstView ??= view;
    return view;
  };

  destroyView = async (view: number) => {
    await this.real.destroyView(view);
    if (view === this.firstView) {
      this.firstView = undefined;
      this.asked = undefined;
      this.placed = undefined;
    }
  };

  geometry = async (view: number, r: Rect) => {
    if (view !== this.firstView) return this.real.geometry(view, r);
    const first = this.asked === undefined;
    this.asked = r;
    await this.place();
    if (first && this.placement.viewReadySigh) await this.env.submit(this.placement.viewReadySigh);
  };

  offset = async (view: number, x: number, y: number) => {
    /* the client's offset wins over the subsystem's for the first view */
    if (view === this.firstView && this.placement.geometry) return;
    await this.real.offset(view, x, y);
  };

  /** Puts the first view where the client (or else the subsystem) says. */
  async place(): Promise<void> {
    if (this.firstView === undefined || this.asked === undefined) return;
    const g = this.placement.geometry;
    const placed = g ? g.r : this.asked;
    await this.real.geometry(this.firstView, placed);
    if (g) await this.real.offset(this.firstView, g.x, g.y);
    if (!this.placed || !same(this.placed, placed)) {
      this.placed = { ...placed };
      const where = this.placement.parent ? 'in its parent view' : 'on the screen';
      this.log(`view of "${this.name}" at ${placed.x},${placed.y} ${placed.w}x${placed.h} ${where}`);
    }
  }
}

export class VirtualNitpickerService implements Service {
  readonly name = 'Nitpicker';
  readonly provider = 'loader';
  private readonly parent: ParentService;

  constructor(private readonly env: Env, private readonly placement: ViewPlacement, private readonly log: (text: string) => void) {
    this.parent = new ParentService('Nitpicker', env);
  }

  async create(donor: Donor, args: string, label: string): Promise<RoutedSession> {
    if (this.placement.proxy) throw new ServiceDenied(`"${donor.name}" may have one Nitpicker session only`);
    /* the real session, paid by the subsystem along the reference accounts */
    const real = await this.parent.create(donor, args, label);
    const env = this.env;
    const proxy = new NitpickerProxy(env, env.rpc(NitpickerSession, real.cap as Capability<NitpickerSession>), this.placement, this.log, donor.name);
    this.placement.proxy = proxy;
    let cap;
    try {
      cap = await env.ep.manage(NitpickerSession, proxy);
    } catch (e) {
      this.placement.proxy = undefined;
      await real.close();
      throw e;
    }
    return {
      cap,
      upgrade: (ram, caps) => real.upgrade(ram, caps),
      close: async () => {
        if (this.placement.proxy === proxy) this.placement.proxy = undefined;
        await env.ep.dissolve(proxy);
        await real.close();
      },
    };
  }
}
