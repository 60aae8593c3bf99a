/*
 * The emulated OKL4 2.x-style microkernel: the system calls.
 *
 * Objects are threads named by global thread IDs and address spaces named by space IDs.
 * There are no kernel-protected capabilities: any thread may send to any thread ID it
 * names, and the kernel tells the receiver only who sent (a global ID it cannot fake).
 * Memory is not passed by IPC: the privileged root server (core) maps physical memory into
 * spaces with MapControl. Interrupts arrive as notify bits.
 *
 * Execution model: every thread is an async flow of the component that owns it. A system
 * call is a method call naming the calling thread; L4_Ipc takes a continuation that the
 * kernel calls exactly once when the IPC returns (result tag in MR0). Nothing here reads
 * host time, so a run is deterministic.
 */
import { infoPageHz } from '../../../base/src/util/clock_ratio.js';
import { MmioError, mmioAccess, mmioAccessOk, type IoWidth, type Machine } from '../../../base/src/machine.js';
import {
  Exreg, EXREG_FLAG_HALT, IpcErr, IpcPhase, IrqCtrl, KError, MapCtrl, MR_COUNT, NILSPACE, NILTHREAD, PAGE_FAULT_LABEL, PAGE_FAULT_WORDS,
  PAGE_SHIFT, PAGE_SIZE, Rights, SpaceCtrl, TagFlag, Tcr, decodeFpage, decodePhysDesc, formatId, globalId, ipcErrorWord, ipcFailed, makeTag, mr,
} from './abi.js';
import { CYCLES_PER_TICK } from '../../../base/src/loader/cpu_meter.js';
import { Cost, OKL4_COSTS, Okl4Accounting, type Okl4CostModel } from './cost_model.js';
import { InterruptController } from './interrupts.js';
import { IpcEngine } from './ipc.js';
import { Scheduler } from './scheduler.js';
import { Space } from './space.js';
import { Thread, ThreadState, type IpcResume, type ThreadEntry } from './thread.js';
import { ThreadTable } from './thread_table.js';
import { defaultKernelMemory } from '../../../base/src/util/kernel_memory.js';

export interface Okl4Options {
  /** Bytes at the start of RAM that the kernel keeps (UTCBs); core may not map them. */
  kernelMemory?: number;
  costs?: Okl4CostModel;
  /** System calls between yields to the host event loop. */
  yieldEvery?: number;
  /** Size of the space table: SpaceControl accepts space IDs below it (default DEFAULT_MAX_SPACES). */
  maxSpaces?: number;
}

/**
 * The kernel's space table, as an OKL4 kernel is configured with one at build time. Its
 * entries are made on SpaceControl, so an unused ID costs nothing; 8192 is what Genode's
 * thread-ID layout can name (13 bits of space number beside 5 of thread index).
 */
export const DEFAULT_MAX_SPACES = 8192;

/** The root server's space and first thread, set up by the kernel at boot. */
export const ROOT_SPACE = 0;
export const ROOTSERVER = globalId(0, 1);

export interface ExregResult {
  error: KError;
  sp: number;
  ip: number;
  flags: number;
  userHandle: number;
  pager: number;
}

export class Okl4Kernel {
  readonly accounting: Okl4Accounting;
  readonly scheduler: Scheduler;
  readonly threads = new ThreadTable();
  private readonly spaces = new Map<number, Space>();
  /** Space IDs are [0, maxSpaces). */
  readonly maxSpaces: number;
  private readonly ipcPath: IpcEngine;
  private readonly irqs: InterruptController;
  private readonly kernelMemEnd: number;
  private kernelMemTop = PAGE_SIZE; // page 0 stays unused
  private readonly freeKernelPages: number[] = [];
  /** The kernel console (KDB output on a serial line): diagnostics that need no session. */
  console: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

  constructor(readonly machine: Machine, options: Okl4Options = {}) {
    this.accounting = new Okl4Accounting(options.costs ?? OKL4_COSTS);
    this.scheduler = new Scheduler(machine, this.accounting, options.yieldEvery ?? 20_000);
    this.kernelMemEnd = options.kernelMemory ?? defaultKernelMemory(machine.memory.size);
    this.maxSpaces = options.maxSpaces ?? DEFAULT_MAX_SPACES;
    /* NILSPACE must stay outside the table */
    if (!Number.isInteger(this.maxSpaces) || this.maxSpaces < 1 || this.maxSpaces > 2 ** 31) {
      throw new Error(`okl4: maxSpaces ${this.maxSpaces} is not a space-table size from 1 to 2^31`);
    }
    this.ipcPath = new IpcEngine(this.threads, this.accounting, this.scheduler);
    this.irqs = new InterruptController(machine, this.accounting, (t, bits) => this.ipcPath.notify(t, bits));
  }

  /** First physical address outside kernel memory. */
  get ramBase(): number {
    return this.kernelMemEnd;
  }

  /* ---------------------------------------------------------------- boot */

  /**
   * Creates the root server: a privileged space with all I/O ports and its first thread,
   * which starts running `entry` at once (the kernel jumps to the root server's entry).
   */
  bootRoot(label: string, utcbArea: { base: number; size: number }, entry: ThreadEntry): Thread {
    const space = new Space(ROOT_SPACE, label, utcbArea, true);
    for (let p = 0; p < 0x10000; p++) space.ioPorts.add(p);
    this.spaces.set(ROOT_SPACE, space);
    const t = this.makeThread(ROOTSERVER, space, `${label}:main`, utcbArea.base, NILTHREAD, NILTHREAD)!;
    t.state = ThreadState.RUNNING;
    t.entered = true;
    queueMicrotask(() => entry(t));
    return t;
  }

  /* ---------------------------------------------------------------- helpers */

  /** Common kernel entry: a dead thread's system call never returns. */
  private enter(self: Thread): boolean {
    this.scheduler.enter();
    return self.alive && !this.scheduler.stopped;
  }

  private result(self: Thread, error: KError): KError {
    self.utcb[Tcr.ERROR_CODE] = error;
    return error;
  }

  private allocKernelPage(): number | undefined {
    const reused = this.freeKernelPages.pop();
    if (reused !== undefined) return reused;
    if (this.kernelMemTop + PAGE_SIZE > this.kernelMemEnd) return undefined;
    const p = this.kernelMemTop;
    this.kernelMemTop += PAGE_SIZE;
    /* each kernel page (a UTCB) is memory of its own */
    this.machine.memory.back(p, PAGE_SIZE);
    return p;
  }

  private makeThread(id: number, space: Space, name: string, utcbLocation: number, pager: number, scheduler: number): Thread | undefined {
    const phys = this.allocKernelPage();
    if (phys === undefined) return undefined;
    const page = this.machine.memory.find(phys, PAGE_SIZE)!;
    page.fill(0);
    const t = new Thread(id, space, name, page, phys, utcbLocation, pager, scheduler);
    t.utcb[Tcr.MY_GLOBAL_ID] = id;
    /* the UTCB is kernel memory the thread's space sees at its UTCB location */
    space.map(utcbLocation >>> PAGE_SHIFT, phys >>> PAGE_SHIFT, 1, Rights.RW);
    space.utcbsInUse.add(utcbLocation);
    space.threads.add(t);
    this.threads.insert(t);
    return t;
  }

  private destroyThread(t: Thread): void {
    t.state = ThreadState.DEAD;
    this.ipcPath.abortPartnersOf(t, this.threads.all());
    this.irqs.forget(t);
    t.space.unmap(t.utcbLocation >>> PAGE_SHIFT, 1);
    t.space.utcbsInUse.delete(t.utcbLocation);
    t.space.threads.delete(t);
    this.threads.remove(t);
    this.freeKernelPages.push(t.utcbPhys);
  }

  /**
   * Halts every thread of a space whose user code faulted: partners of their IPC get
   * aborted, they never run again. Core deletes them and the space later, as usual.
   */
  haltSpace(space: Space): void {
    for (const t of [...space.threads]) {
      t.state = ThreadState.DEAD;
      this.ipcPath.abortPartnersOf(t, this.threads.all());
      this.irqs.forget(t);
    }
    space.code.clear();
  }

  /**
   * A thread's system call that comes after `ticks` of user-level work: `go` runs once the
   * CPU has spent them at the thread's priority (preemptible by higher-priority work), or
   * at once after charging them if they are few.
   */
  afterUserWork(t: Thread, ticks: number, go: () => void): void {
    if (this.chargeUserWorkNow(t, ticks)) go();
    else this.queueUserWork(t, ticks, go);
  }

  /**
   * The first half of afterUserWork, which allocates nothing: if the work need not wait,
   * charges it and returns true (the system call goes on at once); false if it must wait
   * (then queueUserWork).
   */
  chargeUserWorkNow(t: Thread, ticks: number): boolean {
    const cycles = ticks * CYCLES_PER_TICK;
    if (cycles > 0 && this.scheduler.defersUserWork(t.priority, cycles)) return false;
    t.consumed += cycles;
    if (cycles > 0) this.chargeUser(ticks);
    return true;
  }

  /** The second half of afterUserWork: `go` runs once the CPU has spent the work. */
  queueUserWork(t: Thread, ticks: number, go: () => void): void {
    const cycles = ticks * CYCLES_PER_TICK;
    t.consumed += cycles;
    if (cycles > 0 && this.scheduler.deferUserWork(t.priority, cycles, go)) {
      this.accounting.userCycles += cycles;
      return;
    }
    if (cycles > 0) this.chargeUser(ticks);
    go();
  }

  /** Charges `ticks` of metered user code (base/src/loader) to the CPU. */
  chargeUser(ticks: number): void {
    this.scheduler.chargeUser(ticks * CYCLES_PER_TICK);
  }

  /** Thread lookup by global ID, counted as the kernel's TCB lookup. */
  private thread(id: number): Thread | undefined {
    this.accounting.charge(Cost.TID_LOOKUP);
    return this.threads.lookup(id);
  }

  /* ---------------------------------------------------------------- SpaceControl */

  /**
   * L4_SpaceControl: NEW creates space `spaceId` (below maxSpaces) with the UTCB area
   * given as a flexpage, DELETE removes an empty space. Root server only.
   */
  spaceControl(self: Thread, spaceId: number, control: SpaceCtrl, utcbArea: number, label = `space ${spaceId}`): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    if (!self.space.privileged) return this.result(self, KError.NO_PRIVILEGE);
    if (control === SpaceCtrl.NEW) {
      if (!Number.isInteger(spaceId) || spaceId < 0 || spaceId >= this.maxSpaces || this.spaces.has(spaceId)) {
        return this.result(self, KError.INVALID_SPACE);
      }
      const area = decodeFpage(utcbArea);
      if (area.log2 < PAGE_SHIFT || area.log2 > 31 || area.base % 2 ** area.log2 !== 0) return this.result(self, KError.UTCB_AREA);
      this.accounting.charge(Cost.OBJECT_CREATE);
      this.spaces.set(spaceId, new Space(spaceId, label, { base: area.base, size: 2 ** area.log2 }, false));
      return this.result(self, KError.OK);
    }
    if (control === SpaceCtrl.DELETE) {
      const space = this.spaces.get(spaceId);
      if (!space || space.privileged) return this.result(self, KError.INVALID_SPACE);
      if (space.threads.size > 0) return this.result(self, KError.SPACE_NOT_EMPTY);
      this.accounting.charge(Cost.PTE, space.clear());
      space.alive = false;
      space.code.clear();
      space.ioPorts.clear();
      this.spaces.delete(spaceId);
      return this.result(self, KError.OK);
    }
    return this.result(self, KError.INVALID_PARAM);
  }

  /* ---------------------------------------------------------------- ThreadControl */

  /**
   * L4_ThreadControl: with a space and an unused ID it creates an inactive thread whose UTCB
   * appears at `utcbLocation`; with NILSPACE it deletes the thread; with the thread's own
   * space it sets pager and scheduler. Root server only.
   */
  threadControl(self: Thread, dest: number, spaceId: number, scheduler: number, pager: number, utcbLocation: number, name?: string): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    if (!self.space.privileged) return this.result(self, KError.NO_PRIVILEGE);
    const existing = this.thread(dest);
    if (spaceId === NILSPACE) {
      if (!existing || existing === self) return this.result(self, KError.INVALID_THREAD);
      this.destroyThread(existing);
      return this.result(self, KError.OK);
    }
    const space = this.spaces.get(spaceId);
    if (!space) return this.result(self, KError.INVALID_SPACE);
    if (existing) {
      if (existing.space !== space) return this.result(self, KError.INVALID_SPACE);
      existing.pager = pager;
      existing.scheduler = scheduler;
      return this.result(self, KError.OK);
    }
    if (!this.threads.available(dest)) return this.result(self, KError.INVALID_THREAD);
    if (utcbLocation % PAGE_SIZE !== 0 || !space.inUtcbArea(utcbLocation) || space.utcbsInUse.has(utcbLocation)) {
      return this.result(self, KError.UTCB_AREA);
    }
    this.accounting.charge(Cost.OBJECT_CREATE);
    const t = this.makeThread(dest, space, name ?? `${space.label}:${formatId(dest)}`, utcbLocation, pager, scheduler);
    return this.result(self, t ? KError.OK : KError.NO_MEM);
  }

  /* ---------------------------------------------------------------- ExchangeRegisters */

  /**
   * L4_ExchangeRegisters: reads and sets a thread's sp, ip, user-defined handle and pager,
   * cancels its IPC, and halts or resumes it. Resuming a never-started thread enters the
   * code loaded at its ip. Allowed on threads of the caller's space, or by the root server.
   */
  exchangeRegisters(self: Thread, dest: number, control: number, sp: number, ip: number, flags: number, userHandle: number, pager: number): ExregResult {
    const out: ExregResult = { error: KError.OK, sp: 0, ip: 0, flags: 0, userHandle: 0, pager: 0 };
    if (!this.enter(self)) return { ...out, error: KError.INVALID_THREAD };
    const t = this.thread(dest);
    if (!t) return { ...out, error: this.result(self, KError.INVALID_THREAD) };
    if (t.space !== self.space && !self.space.privileged) return { ...out, error: this.result(self, KError.NO_PRIVILEGE) };
    out.sp = t.sp;
    out.ip = t.ip;
    out.flags = t.state === ThreadState.INACTIVE || t.hold.paused ? EXREG_FLAG_HALT : 0;
    out.userHandle = t.utcb[Tcr.USER_DEFINED_HANDLE]!;
    out.pager = t.pager;
    if (control & Exreg.SET_SP) t.sp = sp;
    if (control & Exreg.SET_IP) t.ip = ip;
    if (control & Exreg.SET_USER_HANDLE) t.utcb[Tcr.USER_DEFINED_HANDLE] = userHandle;
    if (control & Exreg.SET_PAGER) t.pager = pager;
    if (control & (Exreg.CANCEL_SEND | Exreg.CANCEL_RECEIVE)) {
      this.ipcPath.cancel(t, (control & Exreg.CANCEL_SEND) !== 0, (control & Exreg.CANCEL_RECEIVE) !== 0);
    }
    if (control & Exreg.HALT) {
      if (flags & EXREG_FLAG_HALT) {
        /* a running thread is held at its next kernel entry or return (it runs only between them) */
        if (t.state !== ThreadState.INACTIVE) t.hold.pause();
      } else if (t.state === ThreadState.INACTIVE) {
        this.start(t);
      } else {
        t.hold.release((fn) => this.scheduler.makeReady(t.priority, () => {
          if (t.alive) fn();
        }));
      }
    }
    this.result(self, KError.OK);
    return out;
  }

  private start(t: Thread): void {
    t.state = ThreadState.RUNNING;
    if (t.entered) return;
    t.entered = true;
    this.scheduler.makeReady(t.priority, () => {
      if (!t.alive) return;
      const code = t.space.code.get(t.ip);
      if (!code) {
        this.console(`[kernel] thread ${t} faults: no code at ip 0x${t.ip.toString(16)}`);
        return;
      }
      code(t);
    });
  }

  /** L4_Schedule, reduced to what Genode uses: setting a thread's priority (root server only). */
  schedule(self: Thread, dest: number, priority: number): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    if (!self.space.privileged) return this.result(self, KError.NO_PRIVILEGE);
    const t = this.thread(dest);
    if (!t) return this.result(self, KError.INVALID_THREAD);
    if (!Number.isInteger(priority) || priority < 0 || priority > 255) return this.result(self, KError.INVALID_PARAM);
    t.priority = priority;
    return this.result(self, KError.OK);
  }

  /**
   * The user time (microseconds) thread `dest` consumed, for its scheduler (root server
   * only). OKL4 2.x keeps no such count that Genode reads; the emulation counts the metered
   * work before each system call, as it does for the other kernels.
   */
  threadTime(self: Thread, dest: number): number | undefined {
    if (!self.space.privileged) return undefined;
    const t = this.thread(dest);
    return t ? Math.floor((t.consumed * 1e6) / this.machine.clock.tscHz) : undefined;
  }

  /* ---------------------------------------------------------------- IPC */

  /**
   * L4_Ipc(to, fromSpecifier, tag in MR0): send phase to `to` (NILTHREAD: none), receive
   * phase from `fromSpec` (ANYTHREAD, a specific thread, or NILTHREAD: none). `resume` runs
   * when the IPC returns; the result tag is in MR0 (error flag + ErrorCode TCR on failure)
   * and `from` names the sender of a received message.
   */
  ipc(self: Thread, to: number, fromSpec: number, resume: IpcResume): void {
    /* a halted thread's system call waits until it is resumed; so does the return into it */
    if (self.hold.held) return this.ipcWhenResumed(self, to, fromSpec, resume);
    if (!this.enter(self)) return; // a deleted thread's call never returns
    resume = self.hold.exit1(resume);
    /* a thread blocked in an IPC cannot execute: such a call (code running beside its own IPC) never returns */
    if (self.state !== ThreadState.RUNNING) return this.console(`okl4: ${self} made a system call while blocked in an IPC; ignored`);
    this.ipcPath.ipc(self, to, fromSpec, resume);
  }

  /* made apart from ipc: a closure there would make V8 allocate its arguments on every call */
  private ipcWhenResumed(self: Thread, to: number, fromSpec: number, resume: IpcResume): void {
    self.hold.pass(() => this.ipc(self, to, fromSpec, resume));
  }

  /* ---------------------------------------------------------------- page faults */

  /**
   * The thread touched `vaddr` as `access` where its space has no such mapping: the CPU
   * traps and the kernel sends the thread's pager a page-fault IPC on the thread's behalf
   * (L4 X.2: label -2 << 4 | rwx, MR1 the address, MR2 the IP; the thread's own message
   * registers are saved around it) and blocks the thread in a call to the pager. The pager
   * maps with MapControl and answers with an empty reply; then the thread runs again and
   * `resume` gets 0. A pager that does not answer keeps the thread blocked. Without a pager
   * (NILTHREAD or a deleted thread) the IPC fails and `resume` gets the IPC error word.
   */
  pageFault(self: Thread, vaddr: number, access: 'read' | 'write' | 'exec', resume: (error: number) => void): void {
    if (!this.enter(self)) return;
    if (self.state !== ThreadState.RUNNING) return this.console(`okl4: ${self} faulted while blocked in an IPC; ignored`);
    const pager = self.pager === NILTHREAD ? undefined : this.thread(self.pager);
    if (!pager || !pager.alive) return resume(ipcErrorWord(IpcErr.NON_EXIST, IpcPhase.SEND));
    const u = self.utcb;
    const saved = u.slice(mr(0), mr(MR_COUNT));
    const savedError = u[Tcr.ERROR_CODE]!;
    const rwx = access === 'write' ? Rights.W : access === 'exec' ? Rights.X : Rights.R;
    u[mr(0)] = makeTag(PAGE_FAULT_LABEL | rwx, PAGE_FAULT_WORDS, TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK);
    u[mr(1)] = vaddr >>> 0;
    u[mr(2)] = self.ip >>> 0;
    this.ipcPath.ipc(self, pager.id, pager.id, () => {
      const error = ipcFailed(u[mr(0)]!) ? u[Tcr.ERROR_CODE]! || 1 : 0;
      u.set(saved, mr(0));
      u[Tcr.ERROR_CODE] = savedError;
      resume(error);
    });
  }

  /**
   * How many bytes from `vaddr` the thread can access as `access` without a fault (what
   * the MMU lets through, across adjacent mappings); 0 if the first byte faults.
   */
  memoryAccessible(self: Thread, vaddr: number, access: 'read' | 'write' | 'exec'): number {
    const need = access === 'write' ? Rights.W : access === 'exec' ? Rights.X : Rights.R;
    const first = Math.floor(vaddr / PAGE_SIZE);
    let page = first;
    for (let e = self.space.lookup(page); e && (e.rights & need) === need && page < 2 ** 20; e = self.space.lookup(page)) page++;
    return page === first ? 0 : (page - first) * PAGE_SIZE - (vaddr % PAGE_SIZE);
  }

  /** L4_Notify: sets `mask` in the notify bits of thread `to`. Any thread may notify any thread. */
  notify(self: Thread, to: number, mask: number): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    const t = this.thread(to);
    if (!t) return this.result(self, KError.INVALID_THREAD);
    this.ipcPath.notify(t, mask >>> 0);
    return this.result(self, KError.OK);
  }

  /* ---------------------------------------------------------------- MapControl */

  /**
   * L4_MapControl: the items are in the caller's message registers, MR[2i] a physical
   * descriptor and MR[2i+1] a flexpage. An item with rights maps the flexpage to the
   * physical range (replacing what was there); an item without rights unmaps it.
   * Root server only; kernel memory can never be mapped.
   */
  mapControl(self: Thread, spaceId: number, control: number): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    if (!self.space.privileged) return this.result(self, KError.NO_PRIVILEGE);
    const space = this.spaces.get(spaceId);
    if (!space) return this.result(self, KError.INVALID_SPACE);
    if ((control & MapCtrl.MODIFY) === 0) return this.result(self, KError.INVALID_PARAM);
    const items = (control & 0x3f) + 1;
    /* two registers per item: a count beyond the 64 message registers is refused, not read past them */
    if (2 * items > MR_COUNT) return this.result(self, KError.INVALID_PARAM);
    const u = self.utcb;
    /* check every item before changing anything */
    for (let i = 0; i < items; i++) {
      this.accounting.charge(Cost.MAP_ITEM);
      const f = decodeFpage(u[mr(2 * i + 1)]!);
      const { phys } = decodePhysDesc(u[mr(2 * i)]!);
      const size = 2 ** f.log2;
      if (f.log2 < PAGE_SHIFT || f.base % size !== 0 || f.base + size > 2 ** 32) return this.result(self, KError.INVALID_PARAM);
      if (f.rights !== 0 && !this.mappable(phys, size)) return this.result(self, KError.INVALID_PARAM);
    }
    for (let i = 0; i < items; i++) {
      const f = decodeFpage(u[mr(2 * i + 1)]!);
      const pages = 2 ** (f.log2 - PAGE_SHIFT);
      const vpage = f.base / PAGE_SIZE;
      if (f.rights === 0) {
        this.accounting.charge(Cost.PTE, space.unmap(vpage, pages));
      } else {
        const { phys } = decodePhysDesc(u[mr(2 * i)]!);
        space.map(vpage, phys / PAGE_SIZE, pages, f.rights);
        this.accounting.charge(Cost.PTE, pages);
      }
    }
    return this.result(self, KError.OK);
  }

  /** Physical memory the root server may map: RAM above kernel memory, or a device's memory. */
  private mappable(phys: number, size: number): boolean {
    if (phys % PAGE_SIZE !== 0) return false;
    if (phys + size <= this.machine.memory.size) return phys >= this.kernelMemEnd;
    return this.machine.mmio(phys, size) !== undefined || this.machine.mmioRegisters?.(phys, size) === true;
  }

  /* ---------------------------------------------------------------- InterruptControl */

  /**
   * L4_InterruptControl with the IRQ number in MR0: REGISTER routes the line to thread
   * `tid`'s notify bit (from the control word) and unmasks it, UNREGISTER undoes that,
   * ACKNOWLEDGE lets the next occurrence in. Root server only.
   */
  interruptControl(self: Thread, tid: number, control: number): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    if (!self.space.privileged) return this.result(self, KError.NO_PRIVILEGE);
    const irq = self.utcb[mr(0)]!;
    if (!this.irqs.validLine(irq)) return this.result(self, KError.INVALID_PARAM);
    switch (control & 0xff) {
      case IrqCtrl.REGISTER: {
        const t = this.thread(tid);
        if (!t) return this.result(self, KError.INVALID_THREAD);
        return this.result(self, this.irqs.register(irq, t, (control >>> 8) & 0x1f) ? KError.OK : KError.INVALID_PARAM);
      }
      case IrqCtrl.UNREGISTER:
        if (this.irqs.routeOf(irq)?.thread.id !== tid) return this.result(self, KError.INVALID_THREAD);
        this.irqs.unregister(irq);
        return this.result(self, KError.OK);
      case IrqCtrl.ACKNOWLEDGE:
        if (!this.irqs.routeOf(irq)) return this.result(self, KError.INVALID_PARAM);
        this.irqs.acknowledge(irq);
        return this.result(self, KError.OK);
      default:
        return this.result(self, KError.INVALID_PARAM);
    }
  }

  /* ---------------------------------------------------------------- loading, memory and I/O */

  /**
   * Writes code into a space: the emulated counterpart of a loader copying a text segment.
   * The root server may load into any space (core's ELF loader), a thread into its own
   * (NILSPACE names the caller's space).
   */
  loadCode(self: Thread, spaceId: number, ip: number, entry: ThreadEntry): KError {
    if (!this.enter(self)) return KError.INVALID_THREAD;
    const space = spaceId === NILSPACE ? self.space : this.spaces.get(spaceId);
    if (!space) return this.result(self, KError.INVALID_SPACE);
    if (space !== self.space && !self.space.privileged) return this.result(self, KError.NO_PRIVILEGE);
    space.code.set(ip, entry);
    return this.result(self, KError.OK);
  }

  /** A view of the caller's virtual range as its loads and stores see it; undefined on a page fault. */
  memoryView(self: Thread, vaddr: number, size: number, write = false): Uint8Array | undefined {
    const phys = self.space.translate(vaddr, size, write ? Rights.RW : Rights.R);
    if (phys === undefined) return undefined;
    if (phys + size <= this.machine.memory.size) return this.machine.memory.find(phys, size);
    return this.machine.mmio(phys, size)?.bytes;
  }

  /**
   * A load or store of `width` bytes at the caller's virtual address `vaddr`, translated by
   * its space onto register-decoded device memory, which decodes it. Returns the value read
   * (unsigned), 0 for a store, or an MmioError (FAULT: the access would page-fault).
   */
  mmio(self: Thread, vaddr: number, width: number, write: boolean, value = 0): number {
    if (!mmioAccessOk(vaddr, width)) return MmioError.BAD_ACCESS;
    const phys = self.space.translate(vaddr, width, write ? Rights.W : Rights.R);
    if (phys === undefined) return MmioError.FAULT;
    return mmioAccess(this.machine, phys, width, write, value);
  }

  ioIn(self: Thread, port: number, width: IoWidth): number | undefined {
    for (let i = 0; i < width; i++) if (!self.space.ioPorts.has(port + i)) return undefined;
    return this.machine.inPort(port, width);
  }

  ioOut(self: Thread, port: number, width: IoWidth, value: number): boolean {
    for (let i = 0; i < width; i++) if (!self.space.ioPorts.has(port + i)) return false;
    this.machine.outPort(port, width, value);
    return true;
  }

  /* ---------------------------------------------------------------- diagnostics and life cycle */

  spaceOf(id: number): Space | undefined {
    return this.spaces.get(id);
  }

  tsc(): number {
    return this.scheduler.tsc();
  }

  /** The TSC as user code reads it (rdtsc): core uses the kernel as its gate. */
  rdtsc(): number {
    return this.tsc();
  }

  /** The KIP processor descriptor's internal frequency, which the kernel gives in kHz, in Hz. */
  get tscHz(): number {
    return infoPageHz(this.machine.clock.tscHz);
  }

  hold(): () => void {
    return this.scheduler.hold();
  }

  onHalt(listener: () => void): void {
    this.scheduler.onHalt(listener);
  }

  get halted(): boolean {
    return this.scheduler.halted;
  }

  shutdown(): void {
    this.scheduler.shutdown();
  }
}
