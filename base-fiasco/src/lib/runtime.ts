/*
 * The component side of the Fiasco.OC backend: the ComponentRuntime the generic component
 * library runs on. Calls go through the main thread's message registers; RPC objects are
 * IPC gates core creates with the object's badge as label, served by an entrypoint thread
 * that waits on them; signals arrive through core: a signal thread blocks on the IRQ
 * object core triggers, then fetches the signal from core's signal source.
 */
import { EmulatedSpaceRuntime } from '../../../base/src/lib/emulated_space_runtime.js';
import { Capability } from '../../../base/src/capability.js';
import { GenodeError } from '../../../base/src/errors.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import type { ComponentRuntime, StartedThread, EntrypointThread, RequestHandler, SignalDelivery } from '../../../base/src/lib/runtime.js';
import { StackSlots, slotTop, utcbOfStack } from '../../../base/src/lib/stack_area.js';
import { rpcClient } from '../../../base/src/rpc/client.js';
import { startOrRelease } from '../../../base/src/lib/thread_start.js';
import type { CpuSession } from '../../../base/src/session/cpu/session.js';
import { ThreadKind } from '../../../base/src/session/cpu/session.js';
import { CpuThread } from '../../../base/src/session/cpu_thread/session.js';
import type { Parent } from '../../../base/src/session/parent/session.js';
import type { PdSession } from '../../../base/src/session/pd/session.js';
import type { SignalSource } from '../../../base/src/session/signal/session.js';
import { UTCB_WORDS, capIdx } from '../kernel/consts.js';
import type { FocUserGate } from '../kernel/syscall_gate.js';
import { l4_ipc_error, l4_ipc_gate_get_infos, l4_irq_receive, l4_irq_trigger, l4_rcv_ep_bind_thread } from '../kernel/l4sys.js';
import { l4_error } from '../kernel/msgtag.js';
import type { Thread } from '../kernel/thread.js';
import { L4_IPC_NEVER } from '../kernel/timeout.js';
import { FocCaller } from './caller.js';
import { CapIndexAlloc } from './cap_index_alloc.js';
import { CapMap } from './cap_map.js';
import { FocCapability, INVALID_BADGE, focCap } from './capability.js';
import { FocIpcThread } from './ipc_thread.js';
import { ENTRYPOINT_IP, MAX_THREADS, PARENT_CAP, SIGNAL_IP, THREAD_IP_BASE, TIMEOUT_IP, USER_BASE_SLOT, threadCapOf } from './layout.js';
import { FocServer } from './server.js';
import { FocSignalSource } from './signal_source.js';

export class FocRuntime extends EmulatedSpaceRuntime<Thread> implements ComponentRuntime {
  readonly kernel = 'fiasco';
  readonly caps: CapMap;
  readonly caller: FocCaller;
  readonly parent: Capability<Parent>;
  private readonly slots = new StackSlots(MAX_THREADS);

  constructor(private readonly k: FocUserGate, private readonly main: Thread, mainSp: number) {
    super(k, main);
    this.caps = new CapMap(k, new CapIndexAlloc(USER_BASE_SLOT));
    this.caller = new FocCaller(k, new FocIpcThread(k, main, this.caps, this.utcbAt(mainSp)));
    /* the parent's badge is the label of its gate, which the kernel tells the holder */
    const { tag, label } = l4_ipc_gate_get_infos(k, main, PARENT_CAP);
    const parent = l4_error(tag) === 0 ? this.caps.insert((label & ~3) >>> 0, PARENT_CAP) : undefined;
    this.parent = new Capability(parent);
  }

  /** The UTCB of the thread whose stack pointer is `sp`: at the base of its stack slot. */
  private utcbAt(sp: number): Uint32Array {
    const bytes = this.view(utcbOfStack(sp)!, UTCB_WORDS * 4);
    return new Uint32Array(bytes.buffer, bytes.byteOffset, UTCB_WORDS);
  }

  private allocSlot(): { slot: number; sp: number } {
    const slot = this.slots.alloc();
    return { slot, sp: slotTop(slot) };
  }

  threadSlot(): { sp: number } {
    return { sp: this.allocSlot().sp };
  }

  async startEntrypoint(cpu: CpuSession, pd: Capability<PdSession>, handler: RequestHandler): Promise<EntrypointThread> {
    const { sp } = this.allocSlot();
    const threadCap = await cpu.createThread(pd, 'ep', ThreadKind.ENTRYPOINT);
    const warn = (text: string) => this.diag(`Warning: ${text}`);
    this.k.writeText(this.main, undefined, ENTRYPOINT_IP, (self) => {
      new FocServer(this.k, new FocIpcThread(this.k, self, this.caps, this.utcbAt(sp)), handler, warn).start();
    });
    await rpcClient(CpuThread, threadCap, this.caller).start(ENTRYPOINT_IP, sp);
    return {
      thread: threadCap,
      /* the object's key is its badge: the label of its gate */
      activate: (cap) => focCap(cap)!.badge,
    };
  }

  /**
   * A further thread: started at an IP of its own, it calls through its own message
   * registers (its UTCB at the base of its stack slot) with a receive window of its own.
   */
  async startThread(thread: Capability<CpuThread>, run: (caller: IpcCaller) => void): Promise<StartedThread> {
    const { slot, sp } = this.allocSlot();
    const ip = THREAD_IP_BASE + 0x10 * slot;
    let ipc: FocIpcThread | undefined;
    const release = () => {
      ipc?.dispose();
      this.slots.free(slot);
    };
    this.k.writeText(this.main, undefined, ip, (self) => {
      ipc = new FocIpcThread(this.k, self, this.caps, this.utcbAt(sp));
      run(new FocCaller(this.k, ipc));
    });
    return startOrRelease(thread, this.caller, ip, sp, release);
  }

  async startSignalReceiver(cpu: CpuSession, pd: Capability<PdSession>, source: Capability<SignalSource>, deliver: SignalDelivery): Promise<void> {
    const irq = await this.semaphoreOf(source);
    const { slot, sp } = this.allocSlot();
    const threadCap = await cpu.createThread(pd, 'signal', ThreadKind.GLOBAL);
    this.k.writeText(this.main, undefined, SIGNAL_IP, (self) => {
      const ipc = new FocIpcThread(this.k, self, this.caps, this.utcbAt(sp));
      const client = rpcClient(FocSignalSource, source.cast<FocSignalSource>(), new FocCaller(this.k, ipc));
      l4_rcv_ep_bind_thread(this.k, self, irq.kcap, threadCapOf(slot), 0);
      const fetch = async () => {
        const s = await client.waitForSignal();
        if (s.imprint !== 0) deliver(s.imprint, s.count);
        receive();
      };
      const onIrq = (tag: number) => {
        if (l4_ipc_error(tag, ipc.utcb)) return; // the source is gone
        this.k.userResume(() => void fetch().catch((e) => this.diag(`Error: signal receiver: ${(e as Error).message}`)));
      };
      const receive = () => l4_irq_receive(this.k, self, irq.kcap, L4_IPC_NEVER, onIrq);
      receive();
    });
    await rpcClient(CpuThread, threadCap, this.caller).start(SIGNAL_IP, sp);
  }

  /** The semaphore of a signal source of this component: the IRQ object core triggers. */
  private async semaphoreOf(source: Capability<SignalSource>): Promise<FocCapability> {
    const irq = focCap(await rpcClient(FocSignalSource, source.cast<FocSignalSource>(), this.caller).requestSemaphore());
    if (!irq) throw new GenodeError('core handed out no signal semaphore');
    return irq;
  }

  /** l4_kip_clock: the kernel info page's clock, microseconds since boot. */
  kipClock(): number {
    return this.k.kipClock();
  }

  /**
   * A thread for the Fiasco.OC timer, bound to the IRQ object of the signal source `sm`
   * (Genode's timer, too, gets its semaphore from core). `loop` runs on it with a `receive`
   * that waits for that IRQ with an IPC receive timeout (l4_timeout_t) and yields the IPC
   * error: 0 when the IRQ was triggered, L4_IPC_RETIMEOUT when the timeout passed. Returns
   * the trigger (l4_irq_trigger), which ends such a wait early.
   */
  async startTimeoutThread(cpu: CpuSession, pd: Capability<PdSession>, sm: Capability<SignalSource>, loop: (receive: (timeout: number) => Promise<number>) => void): Promise<() => void> {
    const irq = await this.semaphoreOf(sm);
    const { slot, sp } = this.allocSlot();
    const threadCap = await cpu.createThread(pd, 'timeout', ThreadKind.GLOBAL);
    this.k.writeText(this.main, undefined, TIMEOUT_IP, (self) => {
      const utcb = this.utcbAt(sp);
      l4_rcv_ep_bind_thread(this.k, self, irq.kcap, threadCapOf(slot), 0);
      loop((timeout) => new Promise<number>((done) => {
        l4_irq_receive(this.k, self, irq.kcap, timeout, (tag) => this.k.userResume(() => done(l4_ipc_error(tag, utcb))));
      }));
    });
    await rpcClient(CpuThread, threadCap, this.caller).start(TIMEOUT_IP, sp);
    /* from the main thread once its call in flight (if any) returned: a blocked thread cannot send */
    return () => this.caller.whenIdle(() => void l4_irq_trigger(this.k, this.main, irq.kcap));
  }

  readonly capabilitiesProtected = true;

  /**
   * A slot of this task's own table: only what was mapped to it can be reached. It has no
   * badge; a call through it uses the label the kernel reports to the holder of a gate.
   */
  forge(guess: number): Capability<unknown> {
    return new Capability(new FocCapability(capIdx(guess), INVALID_BADGE));
  }

  capSpaceInUse(): number {
    return this.caps.indices.inUse;
  }

  release(cap: Capability<unknown>): void {
    const c = focCap(cap);
    if (c) this.caller.whenIdle(() => this.caps.release(this.main, c));
  }
}
