/*
 * The component side of the linux backend: the ComponentRuntime of a component that runs
 * in its own worker_thread isolate. Calls go through channels (SharedArrayBuffers shared
 * with exactly one server entrypoint each), RPC objects are tokens its entrypoint serves,
 * signals arrive in the PD's signal source, memory is what core mapped into it.
 */
import { MmioError } from '../../../base/src/machine.js';
import { registerAccess } from '../../../base/src/lib/register_access.js';
import { Capability } from '../../../base/src/capability.js';
import { GenodeError, InvalidCapability, IpcError, PageFault } from '../../../base/src/errors.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import type { ComponentRuntime, StartedThread, EntrypointThread, RequestHandler, SignalDelivery } from '../../../base/src/lib/runtime.js';
import { StackSlots, slotTop } from '../../../base/src/lib/stack_area.js';
import { rpcClient } from '../../../base/src/rpc/client.js';
import { startOrRelease } from '../../../base/src/lib/thread_start.js';
import { ThreadKind, type CpuSession } from '../../../base/src/session/cpu/session.js';
import { CpuThread } from '../../../base/src/session/cpu_thread/session.js';
import type { Parent } from '../../../base/src/session/parent/session.js';
import type { PdSession } from '../../../base/src/session/pd/session.js';
import type { SignalSource } from '../../../base/src/session/signal/session.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import { AddressSpace } from './address_space.js';
import { Connection, LinuxCaller } from './caller.js';
import { LinuxCapability, tokenOf } from './capability.js';
import { controlBlock } from './control_block.js';
import { EndpointServer } from './endpoint_server.js';
import type { ComponentBoot, KernelMessage } from './kernel_messages.js';
import type { HostClock, LinuxSyscalls } from './syscall_gate.js';
import { receiveSignals } from './signal_receiver.js';
import type { Token } from './token.js';

/** Code addresses of the start-up library's entry functions (only names on linux). */
export const ACTIVATION_IP = 0x1000;
export const SIGNAL_IP = 0x1010;
export const THREAD_IP_BASE = 0x2000;

interface PendingResolve {
  resolve: (c: Connection) => void;
  reject: (e: Error) => void;
}

export class LinuxRuntime implements ComponentRuntime {
  readonly kernel = 'linux';
  readonly capabilitiesProtected = true;

  /** A guessed token: 128 bits derived from the guess; only core's real tokens reach objects. */
  forge(guess: number): Capability<unknown> {
    return new Capability(new LinuxCapability(guessedToken(guess)));
  }

  readonly label: string;
  readonly caller: LinuxCaller;
  readonly parent: Capability<Parent>;
  readonly control: Int32Array;
  private readonly space = new AddressSpace();
  private readonly endpoints = new Map<number, EndpointServer>();
  private readonly endpointBySp = new Map<number, EndpointServer>();
  /** Further threads core started, by stack pointer: core's names of them. */
  private readonly threadBySp = new Map<number, number>();
  /** Further threads' callers by core's name of the thread: core's pause holds their calls. */
  private readonly threadCallers = new Map<number, LinuxCaller>();
  private readonly sources = new Map<Token, SharedArrayBuffer>();
  private readonly connections = new Map<number, Connection>();
  private readonly resolving = new Map<number, PendingResolve>();
  private nextSeq = 1;
  /** The page fault core has not answered yet (at most one: core refuses a second). */
  private fault: { seq: number; resolve: () => void; reject: (e: Error) => void } | undefined;
  /** Faults of the component's threads, raised one after the other. */
  private faults: Promise<void> = Promise.resolve();
  private readonly slots = new StackSlots();
  /** Register accesses sent to core and not answered yet. */
  private readonly registerAccesses = new Map<number, (result: number) => void>();

  constructor(private readonly sys: LinuxSyscalls, boot: ComponentBoot) {
    this.label = sys.label;
    this.parent = boot.parent ? new Capability(new LinuxCapability(boot.parent)) : Capability.invalid();
    this.control = controlBlock(boot.control);
    sys.onKernelMessage((m) => this.apply(m));
    this.caller = new LinuxCaller((token) => this.resolve(token), () => sys.sync());
    sys.sync();
  }

  private resolve(token: Token, thread?: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const seq = this.nextSeq++;
      this.resolving.set(seq, { resolve, reject });
      this.sys.resolve(seq, token, thread);
    });
  }

  /** Host time, for the kernel's own timer binary only (see syscall_gate.ts). */
  get hostClock(): HostClock | undefined {
    return this.sys.hostClock;
  }

  private apply(m: KernelMessage): void {
    switch (m.t) {
      case 'map': this.space.map(m.vaddr, m.size, m.sab, m.frame, m.offset, { writeable: m.writeable === true, executable: m.executable === true }); break;
      case 'map-registers': this.space.mapRegisters(m.vaddr, m.size, m.writeable === true); break;
      case 'mmio-done': {
        const done = this.registerAccesses.get(m.seq);
        this.registerAccesses.delete(m.seq);
        done?.(typeof m.result === 'number' ? m.result : MmioError.BAD_ACCESS);
        break;
      }
      case 'unmap': this.space.unmap(m.vaddr, m.size); break;
      case 'ep': {
        const ep = new EndpointServer(m.doorbell, this.sys.waiter(), (text) => this.diag(text), () => this.sys.sync());
        this.endpoints.set(m.thread, ep);
        this.endpointBySp.set(m.sp, ep);
        break;
      }
      case 'thread': this.threadBySp.set(m.sp, m.thread); break;
      case 'pause': {
        const c = this.threadCallers.get(m.thread);
        if (c && m.paused) c.hold.pause();
        else c?.hold.release((fn) => queueMicrotask(fn));
        break;
      }
      case 'channel': this.endpoints.get(m.thread)?.addChannel(m.id, m.sab); break;
      case 'drop-channel': this.endpoints.get(m.thread)?.dropChannel(m.id); break;
      case 'unserve': this.endpoints.get(m.thread)?.unserve(m.token); break;
      case 'source': this.sources.set(m.token, m.sab); break;
      case 'resolved': {
        const p = this.resolving.get(m.seq);
        if (!p) break;
        this.resolving.delete(m.seq);
        if (m.error !== undefined || m.id === undefined) {
          const text = m.error ?? 'core could not resolve the capability';
          p.reject(m.gone ? new IpcError(text) : new InvalidCapability(text));
          break;
        }
        let c = this.connections.get(m.id);
        if (!c) {
          c = new Connection(m.id, m.channel!, m.doorbell!, this.sys.waiter());
          this.connections.set(m.id, c);
        }
        p.resolve(c);
        break;
      }
      case 'fault-done': {
        const f = this.fault;
        if (!f || f.seq !== m.seq) break;
        this.fault = undefined;
        if (m.error !== undefined) f.reject(new PageFault(`"${this.label}": core refused the page fault: ${m.error}`));
        else f.resolve();
        break;
      }
    }
  }

  threadSlot(): { sp: number } {
    return { sp: slotTop(this.slots.alloc()) };
  }

  async startEntrypoint(cpu: CpuSession, pd: Capability<PdSession>, handler: RequestHandler): Promise<EntrypointThread> {
    const { sp } = this.threadSlot();
    const thread = await cpu.createThread(pd, 'ep', ThreadKind.ENTRYPOINT);
    await rpcClient(CpuThread, thread, this.caller).start(ACTIVATION_IP, sp);
    /* core posted the entrypoint's doorbell before it replied to start() */
    const ep = this.endpointBySp.get(sp);
    if (!ep) throw new GenodeError(`"${this.label}": core started the entrypoint without a doorbell`);
    ep.start(handler);
    return {
      thread,
      activate: (cap) => {
        const token = tokenOf(cap);
        if (token === undefined) throw new InvalidCapability(`"${this.label}": core handed out a non-linux capability ${cap}`);
        ep.serve(token, token);
        return token;
      },
    };
  }

  /**
   * A further thread: core makes it a calling party of its own, so it resolves tokens to
   * channels of its own and its calls never queue behind another thread's.
   */
  async startThread(thread: Capability<CpuThread>, run: (caller: IpcCaller) => void): Promise<StartedThread> {
    const slot = this.slots.alloc();
    const sp = slotTop(slot);
    /* core closes the thread's channels when it kills it; only the slot goes back here */
    const release = () => this.slots.free(slot);
    await startOrRelease(thread, this.caller, THREAD_IP_BASE + 0x10 * slot, sp, release);
    /* core posted the thread's name before it replied to start() */
    const id = this.threadBySp.get(sp);
    this.threadBySp.delete(sp);
    if (id === undefined) throw new GenodeError(`"${this.label}": core started a thread without naming it`);
    const caller = new LinuxCaller((token) => this.resolve(token, id), () => this.sys.sync(), true);
    this.threadCallers.set(id, caller);
    run(caller);
    return { release: () => { this.threadCallers.delete(id); release(); } };
  }

  async startSignalReceiver(cpu: CpuSession, pd: Capability<PdSession>, source: Capability<SignalSource>, deliver: SignalDelivery): Promise<void> {
    const token = tokenOf(source);
    const sab = token === undefined ? undefined : this.sources.get(token);
    if (!sab) throw new InvalidCapability(`"${this.label}": ${source} is not a signal source of this PD`);
    const { sp } = this.threadSlot();
    const thread = await cpu.createThread(pd, 'signal', ThreadKind.GLOBAL);
    await rpcClient(CpuThread, thread, this.caller).start(SIGNAL_IP, sp);
    /* the signal thread makes no calls: it needs no name for channels */
    this.threadBySp.delete(sp);
    void receiveSignals(sab, deliver);
  }

  accessible(addr: number, access: MemoryAccess): number {
    this.sys.sync();
    return this.space.accessible(addr, access);
  }

  /**
   * The SIGSEGV of a process: a fault message to core, whose pager maps the page (the map
   * message arrives first) and answers. Faults of the component's threads queue here, one
   * pending at core at a time; one whose address got mapped meanwhile raises nothing.
   */
  pageFault(addr: number, access: MemoryAccess): Promise<void> {
    const raise = (): Promise<void> => {
      if (this.accessible(addr, access) > 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const seq = this.nextSeq++;
        this.fault = { seq, resolve, reject };
        this.sys.pageFault(seq, addr, access);
      });
    };
    const p = this.faults.then(raise);
    this.faults = p.catch(() => {});
    return p;
  }

  /** A register access: a message to core, which checks the mapping and performs it ('mmio-done'). */
  private registerCall(addr: number, width: number, write: boolean, value: number): Promise<number> {
    return new Promise((resolve) => {
      const seq = this.nextSeq++;
      this.registerAccesses.set(seq, resolve);
      this.sys.mmio(seq, addr, width, write, value);
    });
  }

  mmioRead(addr: number, width: 1 | 2 | 4): Promise<number> {
    return registerAccess(this.label, addr, width, false, 0, (a, w, wr, v) => this.registerCall(a, w, wr, v), (a, acc) => this.pageFault(a, acc));
  }

  async mmioWrite(addr: number, width: 1 | 2 | 4, value: number): Promise<void> {
    await registerAccess(this.label, addr, width, true, value, (a, w, wr, v) => this.registerCall(a, w, wr, v), (a, acc) => this.pageFault(a, acc));
  }

  view(addr: number, size: number): Uint8Array {
    this.sys.sync();
    const v = this.space.view(addr, size);
    if (!v) throw PageFault.at(addr, size, this.label);
    return v;
  }

  release(cap: Capability<unknown>): void {
    const token = tokenOf(cap);
    if (token !== undefined) this.caller.forget(token);
  }

  diag(text: string): void {
    this.sys.diag(text);
  }
}

/** 128 bits (32 hex digits) mixed from a guessed number, as hostile code would make up a token. */
function guessedToken(guess: number): string {
  let out = '';
  let h = (guess >>> 0) ^ 0x9e3779b9;
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ (h >>> 16) ^ (i * 0x27d4eb2d);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
