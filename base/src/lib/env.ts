/*
 * The component's environment (Genode's Env): its parent, its PD (RAM and capability
 * accounts), CPU, address space and entrypoint, plus the asynchronous session protocol
 * with the parent. Built by `startComponent` on top of a backend's ComponentRuntime.
 */
import type { Capability } from '../capability.js';
import { GenodeError, OutOfCaps, OutOfRam, InsufficientCapQuota, InsufficientRamQuota, ServiceDenied } from '../errors.js';
import { rpcClient } from '../rpc/client.js';
import type { InterfaceClass } from '../rpc/interface.js';
import type { CpuSession } from '../session/cpu/session.js';
import type { Dataspace } from '../session/dataspace/session.js';
import { SessionState, type Parent } from '../session/parent/session.js';
import type { PdSession } from '../session/pd/session.js';
import type { RegionMap, AttachAttr, MemoryAccess } from '../session/region_map/session.js';
import type { SignalContext } from '../session/signal/session.js';
import type { Entrypoint } from './entrypoint.js';
import type { ComponentRuntime } from './runtime.js';
import { Mmio } from '../util/mmio.js';
import { SignalHandler, type SignalFunction, type SignalReceiver } from './signal.js';

export type Client<T> = T & { readonly cap: Capability<T> };

export class Env {
  private nextSessionId: number;
  private responseWaiters: Array<() => void> = [];
  private exitCode: number | undefined;

  constructor(
    readonly runtime: ComponentRuntime,
    readonly parent: Client<Parent>,
    readonly pd: Client<PdSession>,
    readonly cpu: Client<CpuSession>,
    readonly rm: Client<RegionMap>,
    readonly ep: Entrypoint,
    private readonly signals: SignalReceiver,
    firstSessionId: number,
  ) {
    this.nextSessionId = firstSessionId;
  }

  get kernel(): string {
    return this.runtime.kernel;
  }

  /** A typed client for a capability, calling through this component's threads. */
  rpc<T>(iface: InterfaceClass<T>, cap: Capability<T>): Client<T> {
    return rpcClient(iface, cap, this.runtime.caller);
  }

  /* ------------------------------------------------------------------ signals */

  async signalHandler(fn: SignalFunction): Promise<SignalHandler> {
    const imprint = this.signals.allocImprint();
    const source = this.signalSource;
    const cap = await this.pd.allocContext(source, imprint);
    const h = new SignalHandler(cap, imprint, fn, async (self) => {
      this.signals.remove(self);
      await this.pd.freeContext(self.cap);
      this.runtime.release(self.cap);
    });
    this.signals.add(h);
    return h;
  }

  /** Set by startComponent once the signal source exists. */
  signalSource!: Capability<never>;

  /** Submits `count` signals to a context (Genode's Signal_transmitter::submit). */
  submit(ctx: Capability<SignalContext>, count = 1): Promise<void> {
    if (!this.runtime.submitSignal) return this.pd.submit(ctx, count);
    this.runtime.submitSignal(ctx, count);
    return Promise.resolve();
  }

  /** Called by the session-response signal handler. */
  sessionResponseArrived(): void {
    const w = this.responseWaiters;
    this.responseWaiters = [];
    for (const f of w) f();
  }

  private nextResponse(): Promise<void> {
    return new Promise((r) => this.responseWaiters.push(r));
  }

  /** Waits until the parent answered the last request on `id`. */
  private async awaitResponse(id: number, what: string): Promise<string> {
    for (;;) {
      const wake = this.nextResponse();
      const r = await this.parent.sessionResponse(id);
      switch (r.state) {
        case SessionState.PENDING: await wake; continue;
        case SessionState.AVAILABLE:
        case SessionState.CLOSED: return r.reason;
        /* the parent's reason names the cause already; each level would only repeat the request */
        case SessionState.DENIED: throw new ServiceDenied(r.reason || `${what} denied`);
        case SessionState.INSUFFICIENT_RAM_QUOTA: throw new InsufficientRamQuota(r.reason || `${what}: insufficient ram_quota`);
        case SessionState.INSUFFICIENT_CAP_QUOTA: throw new InsufficientCapQuota(r.reason || `${what}: insufficient cap_quota`);
        case SessionState.OUT_OF_RAM: throw new OutOfRam(r.reason || `${what}: cannot pay its ram_quota`);
        case SessionState.OUT_OF_CAPS: throw new OutOfCaps(r.reason || `${what}: cannot pay its cap_quota`);
        default: throw new GenodeError(`${what}: parent answered with unknown state ${r.state}`);
      }
    }
  }

  /* ------------------------------------------------------------------ sessions */

  /** Requests a session from the parent; the args carry the label and the donated quota. */
  async session<T>(service: string, args: string): Promise<{ id: number; cap: Capability<T> }> {
    const id = this.nextSessionId++;
    await this.parent.session(id, service, args);
    await this.awaitResponse(id, `${service} session (${args})`);
    const cap = await this.parent.sessionCap(id);
    return { id, cap: cap as Capability<T> };
  }

  /** Donates more quota to an open session ("ram_quota=..., cap_quota=..."). */
  async upgrade(id: number, args: string): Promise<void> {
    await this.parent.upgrade(id, args);
    const reason = await this.awaitResponse(id, `upgrade of session ${id}`);
    if (reason) throw new OutOfRam(`upgrade of session ${id} (${args}): ${reason}`);
  }

  async close(id: number): Promise<void> {
    await this.parent.close(id);
    await this.awaitResponse(id, `close of session ${id}`);
  }

  /* ------------------------------------------------------------------ resources */

  private resourceWaiters: Array<() => void> = [];
  private resourceSigh: Promise<void> | undefined;

  /**
   * Asks the parent for more RAM and capabilities (Genode's Parent::resource_request) and
   * waits for its answer. Resolves with what the parent granted; a parent that grants
   * nothing answers too, and the caller gets OutOfRam.
   */
  async resourceRequest(ram: number, caps = 0): Promise<{ ram: number; caps: number }> {
    this.resourceSigh ??= this.signalHandler(() => {
      const w = this.resourceWaiters;
      this.resourceWaiters = [];
      for (const f of w) f();
    }).then((h) => this.parent.resourceAvailSigh(h.cap));
    await this.resourceSigh;
    const before = await this.pd.quota();
    const answered = new Promise<void>((r) => this.resourceWaiters.push(r));
    await this.parent.resourceRequest(`ram_quota=${ram}, cap_quota=${caps}`);
    await answered;
    const after = await this.pd.quota();
    const granted = { ram: after.ramQuota - before.ramQuota, caps: after.capQuota - before.capQuota };
    if (granted.ram <= 0 && granted.caps <= 0) {
      throw new OutOfRam(`the parent granted none of ram_quota=${ram}, cap_quota=${caps}`);
    }
    return granted;
  }

  /* ------------------------------------------------------------------ memory */

  /** The bytes of this component's address space at [addr, addr+size). */
  view(addr: number, size: number): Uint8Array {
    return this.runtime.view(addr, size);
  }

  /**
   * Register access to `size` bytes of device registers at virtual address `addr` (an
   * IO_MEM dataspace of register-decoded device memory this component attached):
   * base/src/util/mmio.ts, each access a register access of the kernel.
   */
  mmio(addr: number, size: number): Mmio {
    return new Mmio(this.runtime, addr, size);
  }

  /**
   * Attaches `ds` and touches it (as Genode's Attached_ram_dataspace does by clearing it), so
   * its pages are mapped and `view` works at once. `touch: false` leaves the first access
   * to the caller (a managed dataspace with holes: touching a hole faults).
   */
  async attach(ds: Capability<Dataspace>, attr: Partial<AttachAttr> & { touch?: boolean } = {}): Promise<number> {
    const { start, numBytes } = await this.rm.attach(ds, {
      size: attr.size ?? 0, offset: attr.offset ?? 0, useAt: attr.useAt ?? false,
      at: attr.at ?? 0, executable: attr.executable ?? false, writeable: attr.writeable ?? true,
    });
    if (attr.touch !== false) await this.touch(start, numBytes);
    return start;
  }

  /**
   * Accesses [addr, addr+size) as `access` (Genode's touch_read / touch_read_write): every
   * page not yet accessible so faults through the kernel to the pager, which maps it (with
   * the region's rights, so a read maps a writeable region writeable) or, for a fault no
   * attachment resolves, reflects it to the region map's fault handler while this thread
   * waits. A fault nothing can resolve stops the component.
   */
  async touch(addr: number, size: number, access: MemoryAccess = 'read'): Promise<void> {
    const end = addr + Math.max(size, 1);
    let a = addr;
    while (a < end) {
      const n = this.runtime.accessible(a, access);
      if (n > 0) a += n;
      else await this.runtime.pageFault(a, access);
    }
  }

  /* ------------------------------------------------------------------ life cycle */

  /** Tells the parent that this component is done. */
  async exit(code = 0): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    await this.parent.exit(code);
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }
}
