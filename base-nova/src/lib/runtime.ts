/*
 * The component side of the NOVA backend: the ComponentRuntime that the generic
 * component library runs on. Calls go through the main EC's UTCB, RPC objects are portals
 * bound to a local EC (the entrypoint), signals arrive on a semaphore that a second
 * global EC waits on, and submitting a signal is a semaphore-up straight to the kernel.
 */
import { EmulatedSpaceRuntime } from '../../../base/src/lib/emulated_space_runtime.js';
import { Capability } from '../../../base/src/capability.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import type { ComponentRuntime, StartedThread, EntrypointThread, RequestHandler, SignalDelivery } from '../../../base/src/lib/runtime.js';
import { StackSlots, slotTop, utcbOfStack } from '../../../base/src/lib/stack_area.js';
import { rpcClient } from '../../../base/src/rpc/client.js';
import { startOrRelease } from '../../../base/src/lib/thread_start.js';
import type { CpuSession } from '../../../base/src/session/cpu/session.js';
import { ThreadKind } from '../../../base/src/session/cpu/session.js';
import { CpuThread } from '../../../base/src/session/cpu_thread/session.js';
import type { Parent } from '../../../base/src/session/parent/session.js';
import { PdSession } from '../../../base/src/session/pd/session.js';
import type { SignalContext, SignalSource } from '../../../base/src/session/signal/session.js';
import { Sel, Status, UTCB_SIZE, objCrd } from '../kernel/abi.js';
import type { EcRef, NovaSyscalls } from '../kernel/syscall_gate.js';
import { NovaCapability, selOf } from './capability.js';
import { NovaCaller } from './call.js';
import { NovaIpcThread } from './ipc_thread.js';
import { Selectors } from './selectors.js';

/** Code addresses of the start-up library's entry functions in every component. */
export const ACTIVATION_IP = 0x1000;
export const SIGNAL_IP = 0x1010;
/** The timeout thread of the NOVA timer (base-nova/src/timer). */
export const TIMEOUT_IP = 0x1020;
/** Further threads start at code of their own: one entry per stack slot from here on. */
export const THREAD_IP_BASE = 0x2000;

export class NovaRuntime extends EmulatedSpaceRuntime<EcRef> implements ComponentRuntime {
  readonly kernel = 'nova';
  readonly selectors = new Selectors();
  readonly caller: NovaCaller;
  readonly parent: Capability<Parent>;
  private readonly main: NovaIpcThread;
  private readonly slots = new StackSlots();

  constructor(private readonly sys: NovaSyscalls, private readonly mainEc: EcRef, mainSp: number) {
    super(sys, mainEc);
    this.main = new NovaIpcThread(sys, mainEc, this.selectors, this.utcbAt(utcbOfStack(mainSp)!));
    this.caller = new NovaCaller(sys, this.main);
    this.parent = new Capability(new NovaCapability(Sel.PT_PARENT));
  }

  private utcbAt(addr: number): Uint32Array {
    const bytes = this.view(addr, UTCB_SIZE);
    return new Uint32Array(bytes.buffer, bytes.byteOffset, UTCB_SIZE / 4);
  }

  threadSlot(): { sp: number } {
    return { sp: slotTop(this.slots.alloc()) };
  }

  async startEntrypoint(cpu: CpuSession, pd: Capability<PdSession>, handler: RequestHandler): Promise<EntrypointThread> {
    const { sp } = this.threadSlot();
    const threadCap = await cpu.createThread(pd, 'ep', ThreadKind.ENTRYPOINT);
    const pdSession = rpcClient(PdSession, pd, this.caller);
    let ep: NovaIpcThread | undefined;
    let self: EcRef | undefined;
    /* the local EC serves one call at a time, so one completion function serves them all */
    const done = () => {
      ep!.prepareReply();
      this.sys.reply(self!);
    };
    this.sys.installCode(this.mainEc, ACTIVATION_IP, (id, ec) => {
      self = ec;
      ep!.afterReceive();
      handler(id, ep!.msg, done);
    });
    await rpcClient(CpuThread, threadCap, this.caller).start(ACTIVATION_IP, sp);
    /* the local EC exists now; its UTCB is at the base of its stack slot (the thread object
       looks capabilities up in this PD, which any EC of the PD names, so the main EC does) */
    ep = new NovaIpcThread(this.sys, this.mainEc, this.selectors, this.utcbAt(utcbOfStack(sp)!));
    return {
      thread: threadCap,
      activate: async (cap) => {
        const sel = selOf(cap)!;
        /*
         * The portal's id is its selector here, so a returning capability finds its object.
         * Core created the portal and alone holds PT_CTRL: it imprints the id for us.
         */
        await pdSession.imprintRpcCap(cap, sel);
        return sel;
      },
    };
  }

  /**
   * A further global EC: its SC starts it at its own IP, where it builds its caller on its
   * own UTCB (at the base of its stack slot); its calls go out through its own EC.
   */
  async startThread(thread: Capability<CpuThread>, run: (caller: IpcCaller) => void): Promise<StartedThread> {
    const slot = this.slots.alloc();
    const sp = slotTop(slot);
    const ip = THREAD_IP_BASE + 0x10 * slot;
    let ipc: NovaIpcThread | undefined;
    const release = () => {
      ipc?.dispose();
      this.slots.free(slot);
    };
    this.sys.installCode(this.mainEc, ip, (_arg, ec) => {
      ipc = new NovaIpcThread(this.sys, ec, this.selectors, this.utcbAt(utcbOfStack(sp)!));
      run(new NovaCaller(this.sys, ipc));
    });
    return startOrRelease(thread, this.caller, ip, sp, release);
  }

  /** A global EC of the start-up library that runs `entry` at the fixed code address `ip`. */
  private async startGlobalEc(cpu: CpuSession, pd: Capability<PdSession>, name: string, ip: number, entry: (ec: EcRef) => void): Promise<void> {
    const { sp } = this.threadSlot();
    const threadCap = await cpu.createThread(pd, name, ThreadKind.GLOBAL);
    this.sys.installCode(this.mainEc, ip, (_arg, ec) => entry(ec));
    await rpcClient(CpuThread, threadCap, this.caller).start(ip, sp);
  }

  async startSignalReceiver(cpu: CpuSession, pd: Capability<PdSession>, source: Capability<SignalSource>, deliver: SignalDelivery): Promise<void> {
    const smSel = selOf(source)!;
    await this.startGlobalEc(cpu, pd, 'signal', SIGNAL_IP, async (ec) => {
      for (;;) {
        const s = await this.sys.waitSignal(ec, smSel);
        if (s.status !== Status.SUCCESS) return;
        deliver(s.imprint, s.count);
      }
    });
  }

  /**
   * A global EC for Genode's NOVA timer: `loop` runs on it with a `down` that blocks the EC
   * on the semaphore `sm` (a signal source of the component's own, as Genode's timer asks
   * core for a semaphore) until it is up (SUCCESS) or the TSC reaches `deadline` (TIMEOUT).
   */
  async startTimeoutThread(cpu: CpuSession, pd: Capability<PdSession>, sm: Capability<SignalSource>, loop: (down: (deadline: number) => Promise<Status>) => void): Promise<void> {
    const smSel = selOf(sm)!;
    await this.startGlobalEc(cpu, pd, 'timeout', TIMEOUT_IP, (ec) => loop((deadline) => this.sys.semDown(ec, smSel, deadline)));
  }

  /** sm_ctrl UP on a semaphore of this PD (the timer's, to end a wait early). */
  semUp(sm: Capability<SignalSource>): void {
    const sel = selOf(sm);
    if (sel !== undefined) this.sys.semUp(this.mainEc, sel);
  }

  submitSignal(ctx: Capability<SignalContext>, count: number): void {
    const sel = selOf(ctx);
    if (sel === undefined) return;
    for (let i = 0; i < count; i++) this.sys.semUp(this.mainEc, sel);
  }

  readonly capabilitiesProtected = true;

  /** A selector in this PD's own space: only what was delegated to it can be reached. */
  forge(guess: number): Capability<unknown> {
    return new Capability(new NovaCapability(guess));
  }

  capSpaceInUse(): number {
    return this.selectors.inUse;
  }

  release(cap: Capability<unknown>): void {
    const sel = selOf(cap);
    if (sel === undefined || sel < Sel.WINDOW_END) return;
    if (this.selectors.drop(sel)) this.sys.revoke(this.mainEc, objCrd(sel), true);
  }
}
