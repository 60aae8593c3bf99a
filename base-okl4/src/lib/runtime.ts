/*
 * The component side of the OKL4 backend: the ComponentRuntime the generic component
 * library runs on. Calls go through the main thread's message registers; RPC objects are
 * local names served by an entrypoint thread that loops in L4_ReplyWait; signals arrive
 * through a thread blocked in a call to core's signal entrypoint. Submitting a signal has
 * no kernel path here: it goes through core (PD.submit), so `submitSignal` is absent.
 */
import { EmulatedSpaceRuntime } from '../../../base/src/lib/emulated_space_runtime.js';
import { Capability } from '../../../base/src/capability.js';
import { InvalidCapability } from '../../../base/src/errors.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import type { ComponentRuntime, StartedThread, EntrypointThread, RequestHandler, SignalDelivery } from '../../../base/src/lib/runtime.js';
import { StackSlots, slotTop, utcbOfStack } from '../../../base/src/lib/stack_area.js';
import { rpcClient } from '../../../base/src/rpc/client.js';
import { startOrRelease } from '../../../base/src/lib/thread_start.js';
import { ThreadKind, type CpuSession } from '../../../base/src/session/cpu/session.js';
import { CpuThread } from '../../../base/src/session/cpu_thread/session.js';
import type { Parent } from '../../../base/src/session/parent/session.js';
import type { PdSession } from '../../../base/src/session/pd/session.js';
import type { SignalSource } from '../../../base/src/session/signal/session.js';
import { NILSPACE, UTCB_BYTES, globalId } from '../kernel/abi.js';
import type { Okl4UserGate } from '../kernel/syscall_gate.js';
import type { Thread } from '../kernel/thread.js';
import { Okl4Capability, okl4CapOf } from './capability.js';
import { CapabilitySpace } from './capability_space.js';
import { Okl4Caller } from './call.js';
import { Okl4IpcThread } from './ipc_thread.js';
import { RpcServerLoop } from './rpc_server.js';
import { SignalReceiverLoop } from './signal_receiver.js';

/** Code addresses of the start-up library's thread entries in every component. */
export const ENTRYPOINT_IP = 0x1000;
export const SIGNAL_IP = 0x1010;
/** Further threads start at code of their own: one entry per stack slot from here on. */
export const THREAD_IP_BASE = 0x2000;

/** The parent capability as the loader wrote it into the component (Genode's _parent_cap). */
export interface ParentCapWords { tid: number; key: number }

export class Okl4Runtime extends EmulatedSpaceRuntime<Thread> implements ComponentRuntime {
  readonly kernel = 'okl4';
  readonly caps = new CapabilitySpace();
  readonly caller: Okl4Caller;
  readonly parent: Capability<Parent>;
  private readonly slots = new StackSlots();

  constructor(private readonly k: Okl4UserGate, private readonly main: Thread, mainSp: number, parent: ParentCapWords | undefined) {
    super(k, main);
    this.caller = new Okl4Caller(this.ipcThread(main, mainSp));
    this.parent = parent && parent.tid !== 0
      ? new Capability(this.caps.lookupOrAdd(parent.tid, parent.key))
      : Capability.invalid();
  }

  /** The IPC state of a thread of this component whose stack (and UTCB) slot is at `sp`. */
  private ipcThread(self: Thread, sp: number): Okl4IpcThread {
    return new Okl4IpcThread(this.k, self, this.view(utcbOfStack(sp)!, UTCB_BYTES), this.caps);
  }

  threadSlot(): { sp: number } {
    return { sp: slotTop(this.slots.alloc()) };
  }

  async startEntrypoint(cpu: CpuSession, pd: Capability<PdSession>, handler: RequestHandler): Promise<EntrypointThread> {
    const { sp } = this.threadSlot();
    const threadCap = await cpu.createThread(pd, 'ep', ThreadKind.ENTRYPOINT);
    this.k.loadCode(this.main, NILSPACE, ENTRYPOINT_IP, (self) => new RpcServerLoop(this.ipcThread(self, sp), handler).start());
    await rpcClient(CpuThread, threadCap, this.caller).start(ENTRYPOINT_IP, sp);
    return {
      thread: threadCap,
      /* the object's local name is its RPC key; requests carrying it reach the object */
      activate: (cap) => okl4CapOf(cap)!.rpcKey,
    };
  }

  /** A further thread: started at an IP of its own, it calls through its own message registers. */
  async startThread(thread: Capability<CpuThread>, run: (caller: IpcCaller) => void): Promise<StartedThread> {
    const slot = this.slots.alloc();
    const sp = slotTop(slot);
    const ip = THREAD_IP_BASE + 0x10 * slot;
    /* capabilities live in the component's capability space, not the thread: only the slot goes back */
    const release = () => this.slots.free(slot);
    this.k.loadCode(this.main, NILSPACE, ip, (self) => run(new Okl4Caller(this.ipcThread(self, sp))));
    return startOrRelease(thread, this.caller, ip, sp, release);
  }

  async startSignalReceiver(cpu: CpuSession, pd: Capability<PdSession>, source: Capability<SignalSource>, deliver: SignalDelivery): Promise<void> {
    const src = okl4CapOf(source);
    if (!src) throw new InvalidCapability(`signal source is not an OKL4 capability: ${source}`);
    const { sp } = this.threadSlot();
    const threadCap = await cpu.createThread(pd, 'signal', ThreadKind.GLOBAL);
    this.k.loadCode(this.main, NILSPACE, SIGNAL_IP, (self) => {
      new SignalReceiverLoop(this.ipcThread(self, sp), src, deliver, (text) => this.diag(`Warning: ${text}`)).start();
    });
    await rpcClient(CpuThread, threadCap, this.caller).start(SIGNAL_IP, sp);
  }

  /** Capabilities are two plain numbers here: the kernel cannot tell a forged pair from a given one. */
  readonly capabilitiesProtected = false;

  /**
   * A guessed capability, built the way hostile code on OKL4 would: Genode's thread-ID
   * layout is public (thread number = space << 5 | thread, the entrypoint is thread 1,
   * version 1) and RPC keys are small dense numbers. The low 3 bits of the guess pick the
   * space, the rest is the key.
   */
  forge(guess: number): Capability<unknown> {
    const space = guess & 7;
    const key = Math.floor(guess / 8);
    return new Capability(new Okl4Capability(globalId((space << 5) | 1, 1), key));
  }

  capSpaceInUse(): number {
    return this.caps.size;
  }

  release(cap: Capability<unknown>): void {
    const c = okl4CapOf(cap);
    if (c) this.caps.release(c);
  }
}
