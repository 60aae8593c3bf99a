/*
 * Core's platform on Fiasco.OC. Core runs in the root task and creates every kernel object
 * through its factory: tasks for PDs, threads, IPC gates for RPC objects (label = badge,
 * as Genode's rpc_cap_factory does), IRQ objects for signal sources and device interrupts.
 * Memory reaches a component through its page faults: core's pager thread (pager.ts)
 * answers each with a map item from core's identity-mapped physical memory; freeing a
 * dataspace unmaps its pages from every task that got them from core.
 */
import { Capability } from '../../../base/src/capability.js';
import type { CorePlatform, Pager, PlatformPd, PlatformThread } from '../../../base/src/core/platform.js';
import { ThreadKindCode, kernelPriority } from '../../../base/src/core/platform.js';
import { DEFAULT_PRIO } from '../lib/layout.js';
import type { RpcCapFactory } from '../../../base/src/lib/entrypoint.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { L4_BASE_FACTORY_CAP, L4_BASE_TASK_CAP, L4_FP_OTHER_SPACES, L4_ITEM_MAP } from '../kernel/consts.js';
import { L4_CAP_FPAGE_RWS, L4_FPAGE_RW, L4_FPAGE_RWX, l4_fpage, l4_obj_fpage } from '../kernel/fpage.js';
import type { Fiasco } from '../kernel/kernel.js';
import { l4_factory_create_gate, l4_factory_create_task, l4_task_map, l4_task_unmap } from '../kernel/l4sys.js';
import type { Thread } from '../kernel/thread.js';
import { focCap, type FocCapability } from '../lib/capability.js';
import { FocIpcThread } from '../lib/ipc_thread.js';
import { FocCaller } from '../lib/caller.js';
import { DeferredCaller } from '../../../base/src/rpc/deferred_caller.js';
import { preload } from './loader.js';
import { COMPONENT_UTCB_AREA } from '../lib/layout.js';
import { FocServer } from '../lib/server.js';
import { CORE_FIRST_SLOT, CoreEnv } from './core_env.js';
import { OBJ_SPACE_SLOTS } from '../kernel/obj_space.js';
import { flexpages } from './flexpages.js';
import { InterruptHandler } from './interrupt_handler.js';
import { FocPd } from './pd.js';
import { SignalBroker } from './signal_broker.js';
import { FocThread } from './thread.js';
import { FocPagerEntrypoint } from './pager.js';

const CORE_EP_IP = 0x1000;
const CORE_CALLER_IP = 0x1800;
const CORE_EP_PRIO = 128;

type Handler = (key: number | string, msg: MsgBuffer, done?: () => void) => Promise<void> | undefined;

export class FocCorePlatform implements CorePlatform {
  readonly kernel = 'fiasco';
  readonly env: CoreEnv;
  readonly ramBase: number;
  readonly ramSize: number;
  /** Core's capability slots above the fixed ones. */
  readonly maxCaps = OBJ_SPACE_SLOTS - CORE_FIRST_SLOT;
  private epThread: number | undefined;
  private readonly signals: SignalBroker;
  private readonly irqs: InterruptHandler;

  constructor(readonly k: Fiasco, thread: Thread, ramBytes: number) {
    this.env = new CoreEnv(k, thread);
    this.ramBase = k.ramBase;
    this.ramSize = ramBytes - k.ramBase;
    this.signals = new SignalBroker(this.env, () => this.epThread!);
    this.irqs = new InterruptHandler(this.env, (ctx) => this.submitSignal(ctx, 1));
  }

  private caller: DeferredCaller | undefined;

  /** A thread of core's own for its calls to components, started on first use. */
  coreCaller(): DeferredCaller {
    if (!this.caller) {
      const env = this.env;
      this.caller = new DeferredCaller(new Promise((ready) => {
        const started = env.startThread('core:caller', CORE_CALLER_IP, CORE_EP_PRIO, (self) => {
          ready(new FocCaller(env.k, new FocIpcThread(env.k, self, env.caps, env.utcbView(started.utcb))));
        });
      }));
    }
    return this.caller;
  }

  preload(binaries: readonly { name: string; url: string }[]): Promise<string[]> {
    return preload(this.k, binaries);
  }

  /** Starts core's pager thread (pager.ts); every component thread started from now on gets a pager gate to it. */
  setPager(pager: Pager): void {
    if (this.env.pagers) throw new Error('core: the pager is set already');
    this.env.pagers = new FocPagerEntrypoint(this.env, pager);
  }

  onFault(handler: (pd: PlatformPd, reason: string) => void): void {
    this.env.onFault(handler);
  }

  createEntrypoint(handler: Handler): RpcCapFactory {
    const env = this.env;
    const report = (what: string, e: unknown) => env.k.console(`[core] Error: ${what}: ${(e as Error)?.message ?? e}`);
    /* core's signal sources are RPC objects of this glue, served on the same entrypoint */
    const serve: Handler = (key, msg, done) => {
      if (this.signals.serves(key)) {
        this.signals.handle(key as number, msg, done!, report);
        return undefined;
      }
      return handler(key, msg, done);
    };
    const started = env.startThread('core:ep', CORE_EP_IP, CORE_EP_PRIO, (self) => {
      const ipc = new FocIpcThread(env.k, self, env.caps, env.utcbView(started.utcb));
      new FocServer(env.k, ipc, serve, (text) => env.k.console(`[core] Warning: ${text}`)).start();
    });
    this.epThread = started.kcap;
    return {
      alloc: async () => {
        const cap = this.gate(started.kcap);
        return { cap: new Capability(cap), key: cap.badge };
      },
      free: async (cap) => this.freeRpcCap(cap),
      /* what arrives at core names core's own objects, kept fixed in its cap map: this only drops an arrival's count */
      release: (cap) => {
        const c = focCap(cap);
        if (c) env.caps.release(env.thread, c);
      },
    };
  }

  /** An IPC gate bound to `thread` whose label is a fresh badge, recorded in core's cap map. */
  private gate(thread: number): FocCapability {
    const { k, thread: t, caps, badges } = this.env;
    const badge = badges.alloc();
    const kcap = caps.indices.alloc();
    this.env.check(l4_factory_create_gate(k, t, L4_BASE_FACTORY_CAP, kcap, thread, badge), 'creating an IPC gate');
    return caps.insert(badge, kcap);
  }

  createPd(label: string): PlatformPd {
    const { k, thread: t, caps } = this.env;
    const task = caps.indices.alloc();
    const area = l4_fpage(COMPONENT_UTCB_AREA.base, Math.log2(COMPONENT_UTCB_AREA.size), L4_FPAGE_RW);
    this.env.check(l4_factory_create_task(k, t, L4_BASE_FACTORY_CAP, task, area), `creating task "${label}"`);
    k.setObjectName(t, task, label);
    /* the task's own capability, where its start-up code expects it */
    this.env.check(l4_task_map(k, t, task, L4_BASE_TASK_CAP, l4_obj_fpage(task, 0, L4_CAP_FPAGE_RWS), L4_BASE_TASK_CAP | L4_ITEM_MAP), `mapping the task capability of "${label}"`);
    return new FocPd(this.env, label, task);
  }

  createThread(pd: PlatformPd, name: string, kind: ThreadKindCode, priority = 0): PlatformThread {
    return new FocThread(this.env, pd as FocPd, name, kind, kernelPriority(priority, DEFAULT_PRIO, DEFAULT_PRIO - 1));
  }

  allocRpcCap(_pd: PlatformPd, ep: PlatformThread): Capability<unknown> | undefined {
    const t = ep as FocThread;
    if (t.kind !== ThreadKindCode.ENTRYPOINT || t.kcap === undefined) return undefined;
    return new Capability(this.gate(t.kcap));
  }

  freeRpcCap(cap: Capability<unknown>): void {
    const c = focCap(cap);
    const own = c && this.env.caps.find(c.badge);
    if (!own) return;
    this.env.deleteObject(own.kcap);
    this.env.caps.remove(own);
    this.env.badges.free(own.badge);
  }

  allocSignalSource(_pd: PlatformPd): Capability<unknown> | undefined {
    return this.signals.allocSource();
  }

  allocSignalContext(source: Capability<unknown>, imprint: number): Capability<unknown> | undefined {
    return this.signals.allocContext(source, imprint);
  }

  freeSignalContext(ctx: Capability<unknown>): void {
    this.signals.free(ctx);
  }

  submitSignal(ctx: Capability<unknown>, count: number): void {
    this.signals.submit(ctx, count);
  }

  physView(phys: number, size: number): Uint8Array {
    const v = this.k.memoryView(this.env.thread, phys, size, true);
    if (!v) throw new Error(`core: physical range 0x${phys.toString(16)}+${size} is not accessible`);
    return v;
  }

  revokePhys(phys: number, size: number): void {
    for (const c of flexpages(phys, phys, size)) {
      l4_task_unmap(this.k, this.env.thread, L4_BASE_TASK_CAP, l4_fpage(c.from, c.log2, L4_FPAGE_RWX), L4_FP_OTHER_SPACES);
    }
    /* the range is about to be freed and may come back with another size */
    this.k.machine.memory.drop(phys, size);
  }

  allocRam(phys: number, size: number): Uint8Array {
    this.k.machine.memory.back(phys, size);
    return this.physView(phys, size);
  }

  readonly ioPorts = {
    read: (port: number, width: 1 | 2 | 4): number => this.k.ioIn(this.env.thread, port, width) ?? 0xffffffff,
    write: (port: number, width: 1 | 2 | 4, value: number): void => {
      this.k.ioOut(this.env.thread, port, width, value);
    },
  };

  isDeviceMemory(phys: number, size: number): boolean {
    return phys >= this.k.machine.memory.size && (this.k.machine.mmio(phys, size) !== undefined || this.k.machine.mmioRegisters?.(phys, size) === true);
  }

  /* Genode's base-foc: one interrupt handler thread in core, the session's ack unmasks the IRQ */
  readonly irqSignals = {
    take: (irq: number): boolean => this.irqs.take(irq),
    sigh: (irq: number, ctx: Capability<unknown> | undefined): boolean => this.irqs.sigh(irq, ctx),
    ack: (irq: number): void => this.irqs.ack(irq),
    release: (irq: number): void => this.irqs.release(irq),
  };

  nowUs(): number {
    return (this.k.tsc() / this.k.machine.clock.tscHz) * 1e6;
  }
}
