/*
 * The emulated Fiasco.OC-style microkernel.
 *
 * Execution model: every thread is an async flow of the component that owns it. The one
 * system call is `ipc` (l4_ipc): it invokes a capability of the calling thread's task and
 * returns through a continuation, at once or when the thread is woken. Invoking an IPC
 * gate carries a message to another thread; invoking any other object (task, factory,
 * thread, IRQ, ICU, scheduler) performs that object's operation. The kernel counts its
 * work and charges it to the machine's TSC; nothing reads host time, so runs are
 * deterministic, and when every thread is blocked virtual time jumps to the next event.
 *
 * At boot the kernel creates the root task (core, in the role of sigma0 too): it owns all
 * physical memory above kernel memory (identity-mapped) and all I/O ports, and holds the
 * root factory, the ICU and the scheduler at the well-known capability slots.
 */
import { cyclesToTicks, infoPageHz } from '../../../base/src/util/clock_ratio.js';
import { MmioError, mmioAccess, mmioAccessOk, type Machine } from '../../../base/src/machine.js';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_ICU_CAP, L4_BASE_SCHEDULER_CAP, L4_BASE_TASK_CAP, L4_BASE_THREAD_CAP, L4_EBUSY, L4_EEXIST,
  L4_EINVAL, L4_ENOMEM, L4_INVALID_CAP, L4_IPC_RECANCELED, L4_IPC_SECANCELED, L4_ITEM_MAP, L4_PROTO_PAGE_FAULT,
  L4_RCV_ITEM_SINGLE_CAP, L4_SYSF_CALL, PAGE_SHIFT, PAGE_SIZE, UTCB_BDR, UTCB_BR, UTCB_BYTES, UTCB_WORDS, capSlot,
} from './consts.js';
import { Cost, CostAccount, type FiascoCosts } from './cost_model.js';
import { Factory } from './factory.js';
import { FpageType, L4_CAP_FPAGE_RWSD, L4_FPAGE_RW, L4_FPAGE_RWX, L4_FPAGE_W, L4_FPAGE_RO, L4_FPAGE_X, decodeFpage, l4_fpage } from './fpage.js';
import { L4_MSGTAG_ERROR, l4_msgtag } from './msgtag.js';
import { L4_IPC_NEVER } from './timeout.js';
import { Icu } from './icu.js';
import { IdleLoop } from '../../../base/src/util/idle_loop.js';
import { CYCLES_PER_TICK } from '../../../base/src/loader/cpu_meter.js';
import { IpcPath } from './ipc.js';
import type { IpcGate } from './ipc_gate.js';
import type { Irq } from './irq.js';
import type { KObject } from './kobject.js';
import { ObjectSpace } from './obj_space.js';
import { RunQueue } from '../../../base/src/util/run_queue.js';
import { Scheduler } from './scheduler.js';
import { Task, type EntryFunction, type UtcbArea } from './task.js';
import { IpcState, Thread, type Resume } from './thread.js';
import { defaultKernelMemory } from '../../../base/src/util/kernel_memory.js';

export interface FiascoOptions {
  /** Bytes at the start of RAM kept as kernel memory (UTCBs). */
  kernelMemory?: number;
  costs?: FiascoCosts;
  /** Kernel entries per time slice, after which the host event loop gets a turn. */
  sliceOps?: number;
}

/** Cycles charged before they are handed to the machine clock. */
const FLUSH_CYCLES = 20_000;
/** The scheduler's default time slice for threads of equal priority. */
const TIMESLICE_US = 10_000;
/** A memory access that can fault. */
export type MemoryAccess = 'read' | 'write' | 'exec';

/**
 * The page-fault message's first word (Fiasco's pfa): the fault address with the low two
 * bits as flags, bit 1 set for a write, bit 0 for an instruction fetch (Genode's x86
 * Ipc_pager: write_fault() = pfa & 2, exec_fault() = (pfa & 1) && !write_fault()).
 */
export const PF_WRITE = 2;
export const PF_EXEC = 1;

export function pfaWord(vaddr: number, access: MemoryAccess): number {
  return ((vaddr & ~3) | (access === 'write' ? PF_WRITE : access === 'exec' ? PF_EXEC : 0)) >>> 0;
}

/** The access a page-fault message's first word describes. */
export function pfaAccess(pfa: number): MemoryAccess {
  return pfa & PF_WRITE ? 'write' : pfa & PF_EXEC ? 'exec' : 'read';
}

/** The receive window a faulting thread offers for the pager's map item: its whole address space. */
const PF_WINDOW = l4_fpage(0, 32, L4_FPAGE_RWX);
const PF_REFUSED = l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);

/** Where the root thread starts: its entry function is loaded there at boot. */
export const ROOT_ENTRY_IP = 0x1000;
export const ROOT_PRIO = 128;

export class Fiasco {
  readonly account: CostAccount;
  readonly rootTask: Task;
  readonly rootUtcbArea: UtcbArea;
  readonly icu: Icu;
  readonly createdBy = new WeakMap<KObject, Factory>();
  private readonly run: RunQueue;
  private readonly idle: IdleLoop;
  private readonly path: IpcPath;
  private readonly kernelMemEnd: number;
  private kernelMemTop = PAGE_SIZE; // page 0 stays unused
  private readonly freePages: number[] = [];
  private readonly deadlines = new Set<Thread>();
  /** No IPC timeout ends before this TSC value (a cleared one may leave it early: expire looks again). */
  private earliestDeadline = Infinity;
  stopped = false;
  /** The kernel console (a serial line on hardware): diagnostics that need no session. */
  console: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

  constructor(readonly machine: Machine, options: FiascoOptions = {}) {
    this.account = new CostAccount(options.costs);
    this.kernelMemEnd = options.kernelMemory ?? defaultKernelMemory(machine.memory.size);
    this.run = new RunQueue(options.sliceOps ?? 20_000);
    this.path = new IpcPath(this);
    this.idle = new IdleLoop(machine.clock, {
      busy: () => this.run.busy,
      flush: () => this.flush(),
      nextDeadline: () => this.nextDeadline(),
      expire: (now) => this.expire(now),
      payDebt: () => this.run.payDebt(),
    });
    this.run.setCpu(this.idle.spend, (TIMESLICE_US * machine.clock.tscHz) / 1e6);
    /* core's UTCB area: the upper half of kernel memory's addresses, where its identity mapping does not reach */
    this.rootUtcbArea = { base: this.kernelMemEnd / 2, size: this.kernelMemEnd / 2 };
    this.rootTask = new Task('core', this.rootUtcbArea, this.lastCap, {
      memory: { first: this.kernelMemEnd >> PAGE_SHIFT, end: 2 ** 32 / PAGE_SIZE, rights: L4_FPAGE_RWX },
      io: { first: 0, end: 0x10000, rights: L4_FPAGE_RWX },
    });
    this.icu = new Icu(machine);
    const root = this.rootTask.objects;
    root.insert(capSlot(L4_BASE_TASK_CAP), this.rootTask, L4_CAP_FPAGE_RWSD);
    root.insert(capSlot(L4_BASE_FACTORY_CAP), new Factory(Infinity), L4_CAP_FPAGE_RWSD);
    root.insert(capSlot(L4_BASE_ICU_CAP), this.icu, L4_CAP_FPAGE_RWSD);
    root.insert(capSlot(L4_BASE_SCHEDULER_CAP), new Scheduler(), L4_CAP_FPAGE_RWSD);
    machine.interrupts.onAssert(() => this.handleInterrupts());
  }

  /** First physical address outside kernel memory: what core may hand out as RAM. */
  get ramBase(): number {
    return this.kernelMemEnd;
  }

  /* ================================================================ the system call */

  /** l4_ipc: invokes capability `dest` of `t`'s task; the result arrives through `resume`. */
  ipc(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void {
    /* a thread stopped in an exception enters the kernel only once its pager answered; so is the return into it */
    if (t.hold.held) return this.ipcWhenReleased(t, dest, flags, tag, timeout, resume);
    this.path.ipc(t, dest, flags, tag, timeout, t.hold.exit2(resume));
  }

  /* made apart from ipc: a closure there would make V8 allocate its arguments on every call */
  private ipcWhenReleased(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void {
    t.hold.pass(() => this.ipc(t, dest, flags, tag, timeout, resume));
  }

  /**
   * The pager's answer to the exception a thread was stopped in (core's reply to the
   * exception IPC of l4_thread_ex_regs TRIGGER_EXCEPTION): what it was held at goes on.
   * Core only; returns 0 or an errno.
   */
  exceptionReply(caller: Thread, cap: number): number {
    this.enter();
    if (caller.task !== this.rootTask) return L4_EINVAL;
    this.account.charge(Cost.CAP_LOOKUP);
    const t = caller.task.objects.lookup(capSlot(cap))?.obj;
    if (!(t instanceof Thread) || t.state === IpcState.DEAD) return L4_EINVAL;
    t.hold.release((fn) => this.ready(t.prio, () => {
      if (t.state !== IpcState.DEAD) fn();
    }));
    return 0;
  }

  /** Core's IPC that may wait: core's own work is not metered. */
  ipcBlocking(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void {
    this.ipc(t, dest, flags, tag, timeout, resume);
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
    if (this.run.defers(t.prio, cycles)) return false;
    /* the thread's own time (l4_thread_stats_time): its work runs on its own scheduling context */
    t.consumed += cycles;
    if (cycles > 0) this.chargeUser(ticks);
    return true;
  }

  /** The second half of afterUserWork: `go` runs once the CPU has spent the work. */
  queueUserWork(t: Thread, ticks: number, go: () => void): void {
    const cycles = ticks * CYCLES_PER_TICK;
    t.consumed += cycles;
    if (this.run.charge(t.prio, cycles, go)) {
      this.account.userCycles += cycles;
      return;
    }
    if (cycles > 0) this.chargeUser(ticks);
    go();
  }

  /**
   * `t` touched `vaddr` as `access` where its task has no such mapping: the CPU raises a
   * page fault, which Fiasco turns into an IPC call to the thread's pager (the capability
   * l4_thread_control set, looked up in the thread's task) on the thread's behalf: label
   * L4_PROTO_PAGE_FAULT, mr[0] the fault address with the access bits (pfaWord), mr[1] the
   * instruction pointer, and a receive window over the whole address space for the reply's
   * map item (Thread::handle_page_fault_pager). The thread's own message and buffer
   * registers are saved around it. The reply's flexpage is mapped at its send base by the
   * ordinary message transfer; then the thread runs again (`resume` with the reply's tag).
   * A thread without a pager, or whose pager IPC fails, gets the IPC error (a real thread
   * would be halted); a thread in IPC cannot fault (it is blocked) and is refused.
   */
  pageFault(t: Thread, vaddr: number, access: MemoryAccess, resume: Resume): void {
    if (t.state === IpcState.DEAD || !t.utcb || this.stopped) return;
    if (t.state !== IpcState.IDLE) {
      this.enter();
      return resume(PF_REFUSED, 0);
    }
    const u = t.utcb;
    const saved = [u[0]!, u[1]!, u[UTCB_BDR]!, u[UTCB_BR]!, u[UTCB_BR + 1]!];
    u[0] = pfaWord(vaddr, access);
    u[1] = t.ip >>> 0;
    u[UTCB_BDR] = 0;
    u[UTCB_BR] = L4_ITEM_MAP;
    u[UTCB_BR + 1] = PF_WINDOW;
    const pager = t.pager === 0 ? L4_INVALID_CAP : t.pager;
    this.path.ipc(t, pager, L4_SYSF_CALL, l4_msgtag(L4_PROTO_PAGE_FAULT, 2, 0, 0), L4_IPC_NEVER, (tag, label) => {
      [u[0], u[1], u[UTCB_BDR], u[UTCB_BR], u[UTCB_BR + 1]] = saved as [number, number, number, number, number];
      resume(tag, label);
    });
  }

  /**
   * How many bytes from `vaddr` `t` can access as `access` through its task's page tables
   * (the MMU's view, no fault raised); 0 if the first byte faults.
   */
  memoryAccessible(t: Thread, vaddr: number, access: MemoryAccess): number {
    const mem = t.task?.memory;
    if (!mem) return 0;
    const need = access === 'write' ? L4_FPAGE_W : access === 'exec' ? L4_FPAGE_X : L4_FPAGE_RO;
    const first = Math.floor(vaddr / PAGE_SIZE);
    const limit = first + 2 ** 19; // at most 2 GiB per look
    let p = first;
    while (p < limit && p < 2 ** 20 && mem.frameAt(p) !== undefined && (mem.rightsAt(p) & need) === need) p++;
    return p === first ? 0 : (p - first) * PAGE_SIZE - (vaddr - first * PAGE_SIZE);
  }

  /** The UTCB of `t` (the bindings write message registers there). */
  utcbOf(t: Thread): Uint32Array {
    return t.utcb!;
  }

  /** Charges `ticks` of metered user code (base/src/loader) to the CPU. */
  chargeUser(ticks: number): void {
    this.account.chargeUser(ticks * CYCLES_PER_TICK);
    this.run.spend(ticks * CYCLES_PER_TICK);
    if (this.account.pending > FLUSH_CYCLES) this.flush();
  }

  /**
   * Halts every thread of a task whose user code faulted: their IPC ends, partners get
   * aborted, they never run again. The task lives on until core deletes it.
   */
  haltTask(task: Task): void {
    for (const t of [...task.threads]) this.path.kill(t);
    task.text.clear();
  }

  /** Kernel entry: counted, charged, and the idle loop looks again afterwards. */
  enter(): void {
    this.account.charge(Cost.SYSCALL);
    this.run.tick();
    if (this.account.pending > FLUSH_CYCLES) this.flush();
    /* an IPC timeout ends when its time has come, busy CPU or not (Fiasco's timer interrupt) */
    if (this.machine.clock.tsc() + this.account.pending >= this.earliestDeadline) this.expire(this.tsc());
    this.idle.poke();
  }

  charge(op: Cost, n = 1): void {
    this.account.charge(op, n);
  }

  private flush(): void {
    const c = this.account.pending;
    this.account.pending = 0;
    if (c > 0) this.machine.clock.advance(c);
  }

  /** The TSC now, including cycles charged but not yet handed to the clock. */
  tsc(): number {
    this.flush();
    return this.machine.clock.tsc();
  }

  /** The TSC as user code reads it (rdtsc): core uses the kernel as its gate. */
  rdtsc(): number {
    return this.tsc();
  }

  /** The KIP's frequency_cpu, which Fiasco measures at boot and gives in kHz, in Hz. */
  get tscHz(): number {
    return infoPageHz(this.machine.clock.tscHz);
  }

  /**
   * The clock field of the kernel info page, which is mapped read-only into every task:
   * microseconds since boot (Fiasco keeps it current from the TSC).
   */
  kipClock(): number {
    return cyclesToTicks(this.tsc(), this.machine.clock.tscHz, 1_000_000);
  }

  /* ================================================================ scheduling and time */

  /** A thread becomes ready: `fn` continues it from the ready queue. */
  ready(prio: number, fn: () => void): void {
    this.account.charge(Cost.SCHEDULE);
    this.run.enqueue(prio, () => {
      this.account.charge(Cost.THREAD_SWITCH);
      fn();
    });
  }

  /**
   * User-level work after a system call returned: runs now, or after the current time
   * slice when it has ended. The glue copies its message out of the UTCB before this.
   */
  userResume(fn: () => void): void {
    this.run.dispatch(fn);
  }

  setDeadline(t: Thread, us: number): void {
    t.deadline = this.tsc() + Math.ceil((us * this.machine.clock.tscHz) / 1e6);
    this.deadlines.add(t);
    this.earliestDeadline = Math.min(this.earliestDeadline, t.deadline);
  }

  clearDeadline(t: Thread): void {
    if (t.deadline === undefined) return;
    t.deadline = undefined;
    this.deadlines.delete(t);
  }

  private nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const t of this.deadlines) if (next === undefined || t.deadline! < next) next = t.deadline;
    return next;
  }

  private expire(now: number): void {
    const due = [...this.deadlines].filter((t) => t.deadline! <= now).sort((a, b) => a.deadline! - b.deadline!);
    for (const t of due) this.path.abort(t, this.path.timeoutCode(t));
    this.earliestDeadline = this.nextDeadline() ?? Infinity;
  }

  /** Host work in flight that will wake a thread later (loading a binary); returns its release. */
  hold(): () => void {
    return this.idle.hold();
  }

  /** Called when nothing can run and no event is pending. */
  onHalt(listener: () => void): void {
    this.idle.onHalt(listener);
  }

  get halted(): boolean {
    return this.idle.halted;
  }

  /** Powers the machine off: no thread runs again. */
  shutdown(): void {
    this.stopped = true;
    this.run.stop();
    this.idle.stop();
    this.deadlines.clear();
    this.earliestDeadline = Infinity;
  }

  stats(): Record<string, number> {
    return { ...this.account.snapshot(), userCycles: this.account.userCycles };
  }

  /* ================================================================ interrupts */

  private handleInterrupts(): void {
    for (;;) {
      const line = this.machine.interrupts.acknowledge();
      if (line === undefined) break;
      this.account.charge(Cost.INTERRUPT);
      const irq = this.icu.occurred(line);
      if (irq) this.path.hit(irq);
    }
    this.idle.poke();
  }

  /** The receiver acknowledged `irq`: a hardware line may interrupt again. */
  eoi(irq: Irq): void {
    this.icu.eoi(irq);
  }

  /* ================================================================ services for kernel objects */

  /** The object named by an object item (L4_ITEM_MAP, object flexpage) in the caller's task. */
  itemObject(caller: Thread, w0: number, w1: number): KObject | undefined {
    if ((w0 & L4_ITEM_MAP) === 0) return undefined;
    const fp = decodeFpage(w1);
    if (fp.type !== FpageType.OBJ) return undefined;
    this.account.charge(Cost.CAP_LOOKUP);
    return caller.task?.objects.lookup(capSlot(fp.address))?.obj;
  }

  newTask(name: string, area: UtcbArea): Task {
    return new Task(name, area, this.lastCap);
  }

  /** Puts a new object's capability into the caller's receive buffer br[0], with all rights. */
  deliverCreated(caller: Thread, obj: KObject): boolean {
    const br = caller.utcb![UTCB_BR]!;
    if ((br & L4_RCV_ITEM_SINGLE_CAP) !== L4_RCV_ITEM_SINGLE_CAP) return false;
    return caller.task!.objects.insert(capSlot(br), obj, L4_CAP_FPAGE_RWSD) !== undefined;
  }

  /** An object that never got a capability (the factory refused it). */
  discard(obj: KObject): void {
    if (obj.alive) obj.destroy(this);
  }

  /** Deletes an object: every capability naming it, in every task, goes away. */
  deleteObject(obj: KObject): void {
    for (const e of [...obj.caps]) this.account.charge(Cost.MAP_NODE, ObjectSpace.unmap(e, true));
    if (obj.alive) this.destroyObject(obj);
  }

  private readonly lastCap = (obj: KObject): void => this.destroyObject(obj);

  private destroyObject(obj: KObject): void {
    obj.destroy(this);
    this.createdBy.get(obj)?.refund(obj);
  }

  /** Binds a thread to a task, its UTCB at `utcbAddr` in the task's UTCB area. Returns 0 or an errno. */
  bindThread(t: Thread, task: Task, utcbAddr: number): number {
    if (t.task) return L4_EBUSY;
    const area = task.utcbArea;
    if (utcbAddr % UTCB_BYTES !== 0 || utcbAddr < area.base || utcbAddr + UTCB_BYTES > area.base + area.size) return L4_EINVAL;
    for (const o of task.threads) if (o.utcbAddr === utcbAddr && o.state !== IpcState.DEAD) return L4_EEXIST;
    const vpage = Math.floor(utcbAddr / PAGE_SIZE);
    let phys = task.utcbPages.get(vpage);
    if (phys === undefined) {
      phys = this.freePages.pop() ?? this.allocKernelPage();
      if (phys === undefined) return L4_ENOMEM;
      this.machine.memory.find(phys, PAGE_SIZE)!.fill(0);
      if (!task.memory.insert(vpage, phys >> PAGE_SHIFT, L4_FPAGE_RW, undefined)) {
        this.freePages.push(phys);
        return L4_EEXIST;
      }
      task.utcbPages.set(vpage, phys);
    }
    const at = phys + (utcbAddr % PAGE_SIZE);
    const bytes = this.machine.memory.find(at, UTCB_BYTES)!;
    bytes.fill(0);
    t.utcb = new Uint32Array(bytes.buffer, bytes.byteOffset, UTCB_WORDS);
    t.utcbPhys = at;
    t.utcbAddr = utcbAddr;
    t.task = task;
    task.threads.add(t);
    return 0;
  }

  private allocKernelPage(): number | undefined {
    if (this.kernelMemTop + PAGE_SIZE > this.kernelMemEnd) return undefined;
    const p = this.kernelMemTop;
    this.kernelMemTop += PAGE_SIZE;
    /* each kernel page (UTCBs) is memory of its own */
    this.machine.memory.back(p, PAGE_SIZE);
    return p;
  }

  /** The scheduler made `t` runnable: it starts at its instruction pointer. */
  runThread(t: Thread, prio: number): void {
    t.prio = prio;
    if (t.started || t.state === IpcState.DEAD) return;
    t.started = true;
    this.ready(prio, () => this.startThread(t));
  }

  private startThread(t: Thread): void {
    if (t.state === IpcState.DEAD || !t.task) return;
    const fn = t.task.text.get(t.ip);
    if (!fn) {
      this.console(`[kernel] thread "${t.name}" of task "${t.task.name}": no code at ip 0x${t.ip.toString(16)}, it faults`);
      return;
    }
    fn(t);
  }

  bindIrq(irq: Irq, t: Thread | undefined, label: number): void {
    this.path.rebindIrq(irq, t, label);
  }

  /** l4_thread_ex_regs with L4_THREAD_EX_REGS_CANCEL: an ongoing IPC ends with "canceled". */
  cancelIpc(t: Thread): void {
    this.path.abort(t, t.state === IpcState.SENDING ? L4_IPC_SECANCELED : L4_IPC_RECANCELED);
  }

  threadDestroyed(t: Thread): void {
    this.path.kill(t);
    t.task?.threads.delete(t);
  }

  /** A gate was bound or deleted: the senders blocked at it retry. */
  gateChanged(gate: IpcGate): void {
    this.path.unblockGate(gate);
  }

  irqDestroyed(irq: Irq): void {
    this.icu.unbind(irq);
    this.path.rebindIrq(irq, undefined, 0);
  }

  taskDestroyed(task: Task): void {
    for (const t of [...task.threads]) this.path.kill(t);
    task.threads.clear();
    let n = task.objects.clear();
    n += task.memory.clear() + task.io.clear();
    this.account.charge(Cost.MAP_NODE, n);
    for (const phys of task.utcbPages.values()) this.freePages.push(phys);
    task.utcbPages.clear();
    task.text.clear();
  }

  /* ================================================================ boot and the emulated hardware */

  /** Creates core's first thread in the root task and runs `entry` on it. */
  bootRoot(name: string, utcbAddr: number, entry: EntryFunction): Thread {
    const t = new Thread(name);
    this.rootTask.objects.insert(capSlot(L4_BASE_THREAD_CAP), t, L4_CAP_FPAGE_RWSD);
    if (this.bindThread(t, this.rootTask, utcbAddr) !== 0) throw new Error('kernel: cannot bind the root thread');
    this.rootTask.text.set(ROOT_ENTRY_IP, entry);
    t.ip = ROOT_ENTRY_IP;
    this.runThread(t, ROOT_PRIO);
    return t;
  }

  /**
   * Loads code at `ip` of a task (the emulated text segment, as an ELF loader writes it):
   * the root task into any task it holds a capability for, other tasks into themselves.
   * Returns 0 or an errno.
   */
  writeText(t: Thread, taskCap: number | undefined, ip: number, fn: EntryFunction): number {
    this.enter();
    let task = t.task;
    if (taskCap !== undefined) {
      this.account.charge(Cost.CAP_LOOKUP);
      const obj = t.task?.objects.lookup(capSlot(taskCap))?.obj;
      if (!(obj instanceof Task) || (obj !== t.task && t.task !== this.rootTask)) return L4_EINVAL;
      task = obj;
    }
    if (!task || !task.alive) return L4_EINVAL;
    task.text.set(ip, fn);
    return 0;
  }

  /**
   * l4_thread_stats_time: the user time (microseconds) the thread at `cap` consumed
   * (metered work before its system calls); undefined if `cap` names no thread.
   */
  threadStatsTime(t: Thread, cap: number): number | undefined {
    const obj = t.task?.objects.lookup(capSlot(cap))?.obj;
    if (!(obj instanceof Thread)) return undefined;
    return Math.floor((obj.consumed * 1e6) / this.machine.clock.tscHz);
  }

  /** Names a task or thread for diagnostics, as Fiasco's kernel debugger lets its holder do. */
  setObjectName(t: Thread, cap: number, name: string): void {
    const obj = t.task?.objects.lookup(capSlot(cap))?.obj;
    if (obj instanceof Task || obj instanceof Thread) obj.name = name;
  }

  /** The memory `t` sees at [vaddr, vaddr+size) through its task's page tables; undefined on a fault. */
  memoryView(t: Thread, vaddr: number, size: number, write = false): Uint8Array | undefined {
    const mem = t.task?.memory;
    if (!mem) return undefined;
    const first = Math.floor(vaddr / PAGE_SIZE);
    const last = Math.floor((vaddr + Math.max(size, 1) - 1) / PAGE_SIZE);
    const need = write ? L4_FPAGE_W : L4_FPAGE_RO;
    const frame = mem.frameAt(first);
    if (frame === undefined) return undefined;
    for (let p = first; p <= last; p++) {
      if (p !== first && mem.frameAt(p) !== frame + (p - first)) return undefined; // must be physically contiguous
      if ((mem.rightsAt(p) & need) === 0) return undefined;
    }
    const phys = frame * PAGE_SIZE + (vaddr - first * PAGE_SIZE);
    if (phys + size <= this.machine.memory.size) return this.machine.memory.find(phys, size);
    return this.machine.mmio(phys, size)?.bytes;
  }

  /**
   * A load or store of `width` bytes at `t`'s virtual address `vaddr`, mapped by its task's
   * page tables onto register-decoded device memory: the device decodes it. Returns the
   * value read (unsigned), 0 for a store, or an MmioError (FAULT: the access would page-fault).
   */
  mmio(t: Thread, vaddr: number, width: number, write: boolean, value = 0): number {
    if (!mmioAccessOk(vaddr, width)) return MmioError.BAD_ACCESS;
    const mem = t.task?.memory;
    if (!mem) return MmioError.FAULT;
    const page = Math.floor(vaddr / PAGE_SIZE);
    const frame = mem.frameAt(page);
    if (frame === undefined || (mem.rightsAt(page) & (write ? L4_FPAGE_W : L4_FPAGE_RO)) === 0) return MmioError.FAULT;
    return mmioAccess(this.machine, frame * PAGE_SIZE + (vaddr - page * PAGE_SIZE), width, write, value);
  }

  /** An in-instruction of `t`: allowed if its task's I/O space holds every port. */
  ioIn(t: Thread, port: number, width: 1 | 2 | 4): number | undefined {
    for (let i = 0; i < width; i++) if (t.task?.io.frameAt(port + i) === undefined) return undefined;
    return this.machine.inPort(port, width);
  }

  ioOut(t: Thread, port: number, width: 1 | 2 | 4, value: number): boolean {
    for (let i = 0; i < width; i++) if (t.task?.io.frameAt(port + i) === undefined) return false;
    this.machine.outPort(port, width, value);
    return true;
  }
}
