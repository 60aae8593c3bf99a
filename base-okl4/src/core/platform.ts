/*
 * Core's platform on OKL4. Core is the root server: the only space allowed to create
 * spaces and threads, to map memory and to route interrupts. RPC objects are not kernel
 * objects here: core hands out {entrypoint thread ID, RPC key} pairs with keys from one
 * system-wide counter, and the entrypoint dispatches on the key the message carries.
 * Signals go through core's signal entrypoint; memory reaches a component by MapControl
 * from physical descriptors; interrupts by notify bits to core's interrupt threads.
 */
import { Capability } from '../../../base/src/capability.js';
import type { RpcCapFactory } from '../../../base/src/lib/entrypoint.js';
import type { RequestHandler } from '../../../base/src/lib/runtime.js';
import type { CorePlatform, Pager, PlatformPd, PlatformThread } from '../../../base/src/core/platform.js';
import { kernelPriority, type ThreadKindCode } from '../../../base/src/core/platform.js';
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { DEFAULT_PRIORITY, KError, Rights, UTCB_BYTES } from '../kernel/abi.js';
import { ROOT_SPACE, ROOTSERVER, type Okl4Kernel } from '../kernel/kernel.js';
import type { Thread } from '../kernel/thread.js';
import { Okl4Capability, okl4CapOf } from '../lib/capability.js';
import { CapabilitySpace } from '../lib/capability_space.js';
import { Okl4IpcThread } from '../lib/ipc_thread.js';
import { Okl4Caller } from '../lib/call.js';
import { DeferredCaller } from '../../../base/src/rpc/deferred_caller.js';
import { preload } from './loader.js';
import { RpcServerLoop } from '../lib/rpc_server.js';
import { CORE_CALLER_IP, CORE_EP_IP, coreUtcbOf, startCoreThread, type CoreEnv } from './core_thread.js';
import { IrqThreads } from './irq_threads.js';
import { mapRange } from './mapper.js';
import { PagerThread } from './pager.js';
import { Okl4Pd } from './pd.js';
import { SignalBroker } from './signal_broker.js';
import { Okl4PlatformThread } from './thread.js';
import { MAX_SPACES, SPACE_BITS, ThreadIds } from './thread_ids.js';
import { ServiceDenied } from '../../../base/src/errors.js';

export class Okl4CorePlatform implements CorePlatform {
  readonly kernel = 'okl4';
  readonly ramBase: number;
  readonly ramSize: number;
  /** What core's helpers need: the kernel, the main thread, the thread-ID allocator. */
  readonly env: CoreEnv;
  /** Core's capability space: what arrives in requests is imported here. */
  readonly caps = new CapabilitySpace();
  /** Space IDs for components: what both the kernel's space table and the thread-ID layout hold. */
  private readonly spaceIds: IdAllocator;
  private readonly pds = new Set<Okl4Pd>();
  private signalBroker: SignalBroker | undefined;
  private readonly irqThreads: IrqThreads;
  /** Genode's rpc_obj_key allocation: one counter for the whole system, so keys never repeat. */
  private lastKey = 0;

  constructor(readonly k: Okl4Kernel, readonly main: Thread, ramBytes: number) {
    const ids = new ThreadIds();
    if (ids.alloc(ROOT_SPACE) !== ROOTSERVER || main.id !== ROOTSERVER) throw new Error('core: not started as the root server');
    this.env = {
      kernel: k, main, ids,
      reportFault: (pd, reason) => {
        if (this.faultHandler) this.faultHandler(pd, reason);
        else k.console(`[${pd.label}] Error: ${reason}`);
      },
    };
    this.spaceIds = new IdAllocator(ROOT_SPACE + 1, Math.min(k.maxSpaces, MAX_SPACES) - 1);
    this.ramBase = k.ramBase;
    this.ramSize = ramBytes - k.ramBase;
    /* core sees all RAM identity-mapped (it fills ROM modules and clears new RAM) */
    if (mapRange(k, main, ROOT_SPACE, this.ramBase, this.ramBase, this.ramSize, Rights.RW) !== KError.OK) {
      throw new Error('core: cannot map RAM into its own space');
    }
    this.irqThreads = new IrqThreads(this.env);
  }

  private faultHandler: ((pd: PlatformPd, reason: string) => void) | undefined;

  private caller: DeferredCaller | undefined;

  /** A thread of core's own for its calls to components, started on first use. */
  coreCaller(): DeferredCaller {
    if (!this.caller) {
      this.caller = new DeferredCaller(new Promise((ready) => {
        startCoreThread(this.env, 'caller', CORE_CALLER_IP, (self) => {
          const view = this.k.memoryView(this.main, coreUtcbOf(self.id), UTCB_BYTES)!;
          ready(new Okl4Caller(new Okl4IpcThread(this.k, self, view, this.caps)));
        });
      }));
    }
    return this.caller;
  }

  preload(binaries: readonly { name: string; url: string }[]): Promise<string[]> {
    return preload(this.k, binaries);
  }

  onFault(handler: (pd: PlatformPd, reason: string) => void): void {
    this.faultHandler = handler;
  }

  /**
   * Starts core's pager thread (Genode's one Pager_entrypoint thread on OKL4): every
   * component thread created from now on has it as its pager, so its page faults arrive
   * there as IPC and `pager` says what to map.
   */
  setPager(pager: Pager): void {
    if (this.env.pager) throw new Error('core: the pager is set already');
    this.env.pager = new PagerThread(this.env, pager);
  }

  /** Started with the first signal source, so core's RPC entrypoint is thread 1, as in every PD. */
  private get signals(): SignalBroker {
    this.signalBroker ??= new SignalBroker(this.env, () => this.newKey());
    return this.signalBroker;
  }

  private newKey(): number {
    return ++this.lastKey;
  }

  createEntrypoint(handler: RequestHandler): RpcCapFactory {
    const tid = startCoreThread(this.env, 'ep', CORE_EP_IP, (self) => {
      const view = this.k.memoryView(this.main, coreUtcbOf(self.id), UTCB_BYTES)!;
      new RpcServerLoop(new Okl4IpcThread(this.k, self, view, this.caps), handler).start();
    });
    return {
      alloc: async () => {
        const cap = new Okl4Capability(tid, this.newKey());
        this.caps.insert(cap);
        return { cap: new Capability(cap), key: cap.rpcKey };
      },
      free: async (cap) => {
        const c = okl4CapOf(cap);
        if (c) this.caps.release(c);
      },
      /* a pair that came with a request: core's entry for it counts one reference less */
      release: (cap) => {
        const c = okl4CapOf(cap);
        if (c) this.caps.release(c);
      },
    };
  }

  createPd(label: string): PlatformPd {
    const space = this.spaceIds.alloc();
    if (space === undefined) {
      const why = this.k.maxSpaces < MAX_SPACES ? `the kernel's space table has ${this.k.maxSpaces} entries` : `thread IDs have ${SPACE_BITS} bits of space number`;
      throw new ServiceDenied(`core: no OKL4 space is left for "${label}": all ${this.spaceIds.count} space IDs are in use (${why}; space 0 is core's)`);
    }
    const pd = new Okl4Pd(this.env, label, space, (gone) => {
      this.pds.delete(gone);
      this.env.ids.dropSpace(gone.space);
      this.spaceIds.free(gone.space);
    });
    this.pds.add(pd);
    return pd;
  }

  createThread(pd: PlatformPd, name: string, kind: ThreadKindCode, priority = 0): PlatformThread {
    return new Okl4PlatformThread(this.env, pd as Okl4Pd, name, kind, kernelPriority(priority, DEFAULT_PRIORITY, DEFAULT_PRIORITY - 1));
  }

  /** A new object's name: the entrypoint thread's ID and a fresh key. Nothing in the kernel. */
  allocRpcCap(_pd: PlatformPd, ep: PlatformThread): Capability<unknown> | undefined {
    const t = ep as Okl4PlatformThread;
    if (!t.isEntrypoint || t.tid === undefined) return undefined;
    return new Capability(new Okl4Capability(t.tid, this.newKey()));
  }

  /**
   * There is nothing to revoke: the pair stays valid; the entrypoint no longer knows the key.
   * (Core's entry for the pair that came with the request goes with the request.)
   */
  freeRpcCap(_cap: Capability<unknown>): void {}

  allocSignalSource(_pd: PlatformPd): Capability<unknown> | undefined {
    return new Capability(this.signals.allocSource());
  }

  allocSignalContext(source: Capability<unknown>, imprint: number): Capability<unknown> | undefined {
    const s = okl4CapOf(source);
    const ctx = s ? this.signals.allocContext(s.rpcKey, imprint) : undefined;
    return ctx ? new Capability(ctx) : undefined;
  }

  freeSignalContext(ctx: Capability<unknown>): void {
    const c = okl4CapOf(ctx);
    if (c) this.signals.free(c.rpcKey);
  }

  submitSignal(ctx: Capability<unknown>, count: number): void {
    const c = okl4CapOf(ctx);
    if (c) this.signals.submit(c.rpcKey, count);
  }

  physView(phys: number, size: number): Uint8Array {
    const v = this.k.memoryView(this.main, phys, size);
    if (!v) throw new Error(`core: physical range 0x${phys.toString(16)}+${size} is not accessible`);
    return v;
  }

  revokePhys(phys: number, size: number): void {
    for (const pd of this.pds) pd.revokePhys(phys, size);
    /* the range is about to be freed and may come back with another size */
    this.k.machine.memory.drop(phys, size);
  }

  allocRam(phys: number, size: number): Uint8Array {
    this.k.machine.memory.back(phys, size);
    return this.physView(phys, size);
  }

  readonly ioPorts = {
    read: (port: number, width: 1 | 2 | 4): number => this.k.ioIn(this.main, port, width) ?? 0xffffffff,
    write: (port: number, width: 1 | 2 | 4, value: number): void => {
      this.k.ioOut(this.main, port, width, value);
    },
  };

  isDeviceMemory(phys: number, size: number): boolean {
    return phys >= this.k.machine.memory.size && (this.k.machine.mmio(phys, size) !== undefined || this.k.machine.mmioRegisters?.(phys, size) === true);
  }

  attachIrq(irq: number, handler: () => void): boolean {
    return this.irqThreads.attach(irq, handler);
  }

  detachIrq(irq: number): void {
    this.irqThreads.detach(irq);
  }

  nowUs(): number {
    return (this.k.tsc() / this.k.machine.clock.tscHz) * 1e6;
  }
}
