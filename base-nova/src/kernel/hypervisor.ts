/*
 * The emulated NOVA-style microhypervisor.
 *
 * Execution model: every EC is an async flow of the component that owns it. A system call
 * is a method call naming the calling EC; blocking calls return promises that the kernel
 * resolves when the EC may continue. IPC is a direct switch, as on NOVA: `call` runs the
 * portal's local EC right away on the caller's donated SC, `reply` switches straight back.
 * Other wake-ups (semaphores, timeouts, interrupts) go through a priority run queue.
 * Nothing here reads host time, so a run is deterministic; when every EC is blocked,
 * virtual time jumps to the next timeout or device event of the machine.
 */
import { MmioError, mmioAccess, mmioAccessOk, type Machine } from '../../../base/src/machine.js';
import {
  ALL_RIGHTS, CrdType, Mtd, PfError, EcOp, EcRights, ScOp, Sel, ItemFlags, MemRights, PAGE_SHIFT, PAGE_SIZE, PtRights, SmOp, SmRights, Status,
  UTCB_HEADER_WORDS, UTCB_SIZE, UTCB_WORDS, UtcbHeader, decodeCrd, encodeCrd, objCrd, type Crd,
} from './abi.js';
import { ObjectSpace, type CapEntry } from './capability_space.js';
import { MemorySpace } from './memory_space.js';
import { KernelAccounting, NOVA_COSTS, Op, type CostModel } from './cost_model.js';
import { IdleLoop } from '../../../base/src/util/idle_loop.js';
import { CYCLES_PER_TICK } from '../../../base/src/loader/cpu_meter.js';
import { RunQueue } from '../../../base/src/util/run_queue.js';
import { Ec, Pd, Pt, Sc, Si, Sm, type EntryFunction, type GsiSignal, type KernelObject, type SemaphoreWaiter, type Waiter } from './objects.js';
import { defaultKernelMemory } from '../../../base/src/util/kernel_memory.js';

export interface HypervisorOptions {
  /** Bytes at the start of RAM reserved for kernel memory (UTCBs). */
  kernelMemory?: number;
  costs?: CostModel;
  /** Kernel operations between yields to the host event loop (keeps timers and I/O alive). */
  yieldEvery?: number;
}

export interface SignalInfo { status: Status; imprint: number; count: number }

const FLUSH_CYCLES = 20_000;
/** NOVA's default scheduling-context quantum (Qpd: 10,000 us). */
const QUANTUM_US = 10_000;
/** Memory items a page-fault handler's reply maps at most (what one UTCB's item area holds). */
const MAX_REPLY_ITEMS = 64;

export class Hypervisor {
  readonly accounting: KernelAccounting;
  readonly rootPd: Pd;
  private kernelMemTop = PAGE_SIZE; // page 0 stays unused
  private readonly kernelMemEnd: number;
  /** Wake-ups in priority order, and the time slices that give the host event loop its turn. */
  private readonly run: RunQueue;
  /** When every EC is blocked: virtual time jumps to the next event, or the system halts. */
  private readonly idle: IdleLoop;
  private readonly timeouts: SemaphoreWaiter[] = [];
  private readonly irqSemaphores = new Map<number, Sm>();
  /** The kernel console (a serial line on real hardware): diagnostics that need no session. */
  console: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

  constructor(readonly machine: Machine, options: HypervisorOptions = {}) {
    this.accounting = new KernelAccounting(options.costs ?? NOVA_COSTS);
    this.kernelMemEnd = options.kernelMemory ?? defaultKernelMemory(machine.memory.size);
    this.run = new RunQueue(options.yieldEvery ?? 20_000);
    this.idle = new IdleLoop(machine.clock, {
      busy: () => this.run.busy,
      flush: () => this.flushClock(),
      nextDeadline: () => (this.timeouts.length ? Math.min(...this.timeouts.map((t) => t.deadline!)) : undefined),
      expire: () => this.expireTimeouts(),
      payDebt: () => this.run.payDebt(),
    });
    this.run.setCpu(this.idle.spend, (QUANTUM_US * machine.clock.tscHz) / 1e6);
    this.rootPd = this.newPd('core');
    this.rootPd.refs++; // the root PD lives forever
    /* the root PD owns all physical memory above kernel memory (the sigma0 role) */
    const firstPage = this.kernelMemEnd >> PAGE_SHIFT;
    this.rootPd.memory.map(firstPage, firstPage, 2 ** 32 / PAGE_SIZE - firstPage, MemRights.RWX);
    this.rootPd.ioPorts.addAll();
    this.initInterruptController();
    machine.interrupts.onAssert(() => this.handleInterrupts());
  }

  /** Programs the 8259 pair as a kernel does at boot: vectors 0x20/0x28, every line masked. */
  private initInterruptController(): void {
    const out = (port: number, v: number) => this.machine.outPort(port, 1, v);
    out(0x20, 0x11); out(0x21, 0x20); out(0x21, 0x04); out(0x21, 0x01);
    out(0xa0, 0x11); out(0xa1, 0x28); out(0xa1, 0x02); out(0xa1, 0x01);
    out(0x21, 0xfb); // all masked but the cascade line
    out(0xa1, 0xff);
  }

  private unmaskIrq(irq: number): void {
    const port = irq < 8 ? 0x21 : 0xa1;
    const mask = this.machine.inPort(port, 1);
    this.machine.outPort(port, 1, mask & ~(1 << (irq & 7)));
  }

  /** The size of kernel memory (UTCBs and kernel objects come from it). */
  get kernelMemoryBytes(): number {
    return this.kernelMemEnd;
  }

  /** First physical address that core may allocate as RAM. */
  get ramBase(): number {
    return this.kernelMemEnd;
  }

  /* ---------------------------------------------------------------- helpers */

  private newPd(name: string): Pd {
    const pd = new Pd(name);
    pd.onDestroy = (p) => this.destroyPd(p);
    return pd;
  }

  private lookup<T extends KernelObject>(ec: Ec, sel: number, kind: string, rights = 0): T | undefined {
    this.accounting.charge(Op.CAP_LOOKUP);
    const e = ec.pd.objects.lookup(sel);
    if (!e || e.obj.kind !== kind || (e.rights & rights) !== rights) return undefined;
    return e.obj as T;
  }

  private entry(ec: Ec, sel: number): CapEntry | undefined {
    this.accounting.charge(Op.CAP_LOOKUP);
    return ec.pd.objects.lookup(sel);
  }

  private enter(): void {
    this.accounting.charge(Op.SYSCALL);
    this.run.tick();
    if (this.accounting.pending > FLUSH_CYCLES) this.flushClock();
    this.idle.poke();
  }

  private flushClock(): void {
    const c = this.accounting.pending;
    this.accounting.pending = 0;
    if (c === 0) return;
    this.machine.clock.advance(c);
    /* a timeout ends when its time has come, busy CPU or not (NOVA's timer interrupt) */
    if (this.timeouts.length > 0) this.expireTimeouts();
  }

  /**
   * A thread's system call that comes after `ticks` of user-level work: `go` runs once the
   * CPU has spent them at the thread's priority (preemptible by higher-priority work), or
   * at once after charging them if they are few.
   */
  afterUserWork(ec: Ec, ticks: number, go: () => void): void {
    if (!this.deferUserWork(ec, ticks, go)) go();
  }

  /**
   * afterUserWork without running `go` at once: false if the caller goes on itself.
   *
   * `ec` is the EC whose code did the work. A local EC's work runs on the SC its caller
   * donated, or, while callers of higher priority help it (enqueueCall), on theirs: the
   * work runs at the highest priority among those SCs, and each step the CPU spends is
   * charged to the SC that ran it (runningSc, asked again at every step).
   */
  deferUserWork(ec: Ec, ticks: number, go: () => void): boolean {
    if (this.chargeUserWorkNow(ec, ticks)) return false;
    this.queueUserWork(ec, ticks, go);
    return true;
  }

  /**
   * The first half of deferUserWork, which allocates nothing: if the work need not wait,
   * charges it and returns true (the system call goes on at once); false if it must wait
   * (then queueUserWork).
   */
  chargeUserWorkNow(ec: Ec, ticks: number): boolean {
    const cycles = ticks * CYCLES_PER_TICK;
    const sc = this.runningSc(ec);
    if (this.run.defers(sc?.prio ?? ec.prio, cycles)) return false;
    if (sc) sc.consumed += cycles;
    if (cycles > 0) this.chargeUser(ticks);
    return true;
  }

  /** The second half of deferUserWork: `go` runs once the CPU has spent the work (see there). */
  queueUserWork(ec: Ec, ticks: number, go: () => void): void {
    const cycles = ticks * CYCLES_PER_TICK;
    const sc = this.runningSc(ec);
    const account = (spent: number) => {
      const s = this.runningSc(ec);
      if (s) s.consumed += spent;
    };
    const run = () => {
      if (ec.pendingWork === work) ec.pendingWork = undefined;
      go();
    };
    const work = this.run.charge(sc?.prio ?? ec.prio, cycles, run, account);
    if (work) {
      this.accounting.userCycles += cycles;
      /* the EC's work still to spend: a caller that finds the EC busy helps it (enqueueCall) */
      if (!ec.global) ec.pendingWork = work;
      return;
    }
    /* not queued after all (chargeUserWorkNow said it would be): charged now */
    if (sc) sc.consumed += cycles;
    if (cycles > 0) this.chargeUser(ticks);
    go();
  }

  /**
   * The SCs that run `ec` now: the one at the root of its chain of callers (its own for a
   * global EC, else the one donated along the chain), and those of the callers that help a
   * local EC on the chain (they wait in its callQueue), found the same way (a helper may be
   * a local EC itself).
   */
  private scsRunning(ec: Ec, out: Sc[], seen: Set<Ec>): void {
    for (let e: Ec | undefined = ec; e && !seen.has(e); e = e.caller?.ec) {
      seen.add(e);
      if (e.sc) {
        out.push(e.sc);
        return;
      }
      for (const q of e.callQueue) if (q.caller.ec.alive) this.scsRunning(q.caller.ec, out, seen);
    }
  }

  /**
   * The SC that runs `ec`'s work: the donor's (scOf), unless a helper's has a higher
   * priority (the scheduler picks the highest; among equals the donor's, then the earliest helper).
   */
  private runningSc(ec: Ec): Sc | undefined {
    /*
     * The common case, without allocations: nobody helps an EC on the chain up to the
     * first SC (no callQueue), so that SC (the donor's, scOf) is the only one.
     */
    let e: Ec | undefined = ec;
    for (let depth = 0; e && depth < 64; depth++, e = e.caller?.ec) {
      if (e.sc) return e.sc;
      if (e.callQueue.length > 0) break;
    }
    const scs: Sc[] = [];
    this.scsRunning(ec, scs, new Set());
    let best = scOf(ec);
    for (const s of scs) if (!best || s.prio > best.prio) best = s;
    return best;
  }

  /** Charges `ticks` of metered user code (base/src/loader) to the CPU. */
  chargeUser(ticks: number): void {
    this.accounting.chargeUser(ticks * CYCLES_PER_TICK);
    this.run.spend(ticks * CYCLES_PER_TICK);
    if (this.accounting.pending > FLUSH_CYCLES) this.flushClock();
  }

  /** Current TSC, including cycles charged but not yet flushed. */
  tsc(): number {
    this.flushClock();
    return this.machine.clock.tsc();
  }

  private allocKernelPage(): number | undefined {
    if (this.kernelMemTop + PAGE_SIZE > this.kernelMemEnd) return undefined;
    const p = this.kernelMemTop;
    this.kernelMemTop += PAGE_SIZE;
    /* each kernel page (a UTCB) is memory of its own */
    this.machine.memory.back(p, PAGE_SIZE);
    return p;
  }

  private freeKernelPages: number[] = [];

  /* ---------------------------------------------------------------- run queue */

  /** Makes a blocked EC runnable; the run queue resumes the highest priority first. */
  private wake<T>(w: Waiter<T>, value: T): void {
    if (!w.ec.alive || this.stopped) return;
    this.accounting.charge(Op.SCHEDULE);
    this.run.enqueue(w.ec.prio, () => {
      /* an EC destroyed while it waited for its turn never runs again */
      if (!w.ec.alive) return;
      /* a recalled EC is held in its recall exception until core resumes it */
      if (w.ec.hold.held) return w.ec.hold.pass(() => w.resume(value));
      this.switchTo(w.ec.pd);
      w.resume(value);
    });
  }

  /** The PD whose address space is loaded (a switch to another one is charged). */
  private currentPd: Pd | undefined;

  private switchTo(pd: Pd): void {
    if (pd === this.currentPd) return;
    this.currentPd = pd;
    this.accounting.charge(Op.AS_SWITCH);
  }

  /* ---------------------------------------------------------------- idle and virtual time */

  /** Whether the last idle check found nothing to run and no event pending. */
  get halted(): boolean {
    return this.idle.halted;
  }

  /**
   * Marks host work in flight that will wake an EC later (e.g. loading a binary from disk),
   * so the kernel does not take the wait for a halt. Returns the matching release.
   */
  hold(): () => void {
    return this.idle.hold();
  }

  /** Called with nothing left to run and no event pending (a run cannot make progress). */
  onHalt(listener: () => void): void {
    this.idle.onHalt(listener);
  }

  private expireTimeouts(): void {
    const now = this.machine.clock.tsc();
    for (const t of [...this.timeouts]) {
      if (t.deadline! <= now) {
        this.removeTimeout(t);
        const sm = this.smOfWaiter.get(t);
        if (sm) sm.waiters.splice(sm.waiters.indexOf(t), 1);
        this.smOfWaiter.delete(t);
        this.wake(t, Status.TIMEOUT);
      }
    }
  }

  private readonly smOfWaiter = new Map<SemaphoreWaiter, Sm>();

  private removeTimeout(t: SemaphoreWaiter): void {
    const i = this.timeouts.indexOf(t);
    if (i >= 0) this.timeouts.splice(i, 1);
  }

  /* ---------------------------------------------------------------- interrupts */

  private handleInterrupts(): void {
    for (;;) {
      const irq = this.machine.interrupts.acknowledge();
      if (irq === undefined) break;
      this.accounting.charge(Op.INTERRUPT);
      /* end of interrupt at the PIC right away; the driver's semaphore remembers it */
      if (irq >= 8) this.machine.outPort(0xa0, 1, 0x60 | (irq - 8));
      this.machine.outPort(0x20, 1, 0x60 | (irq >= 8 ? 2 : irq));
      const sm = this.irqSemaphores.get(irq);
      if (sm?.gsi) this.gsiOccurred(sm.gsi);
      else if (sm) this.semUp(sm);
    }
    this.idle.poke();
  }

  /* ---------------------------------------------------------------- boot */

  /** Creates the first EC of the root PD (core's main thread) and runs `main` on it. */
  bootRoot(sel: number, name: string, utcbVirt: number, entry: EntryFunction): Ec {
    const ec = this.makeEc(this.rootPd, name, utcbVirt, true, 1, 0)!;
    this.rootPd.code.set(1, entry);
    this.rootPd.objects.insert(sel, ec, ALL_RIGHTS);
    this.rootPd.objects.insert(Sel.PD_SELF, this.rootPd, ALL_RIGHTS);
    const sc = new Sc(ec, 64, 10_000);
    ec.sc = sc;
    queueMicrotask(() => entry(0, ec));
    return ec;
  }

  /**
   * Loads code into a PD: the emulated counterpart of writing a text segment. The root PD may
   * load into any PD it holds (core's ELF loader); a PD may load into itself.
   */
  installCode(ec: Ec, pdSel: number | undefined, ip: number, fn: EntryFunction): Status {
    this.enter();
    const pd = pdSel === undefined ? ec.pd : ec.pd === this.rootPd ? this.lookup<Pd>(ec, pdSel, 'PD') : undefined;
    if (!pd || !pd.alive) return Status.INV_SELECTOR;
    pd.code.set(ip, fn);
    return Status.SUCCESS;
  }

  /** Revokes a range in another PD's space (Genode's fork: revoke with `remote`; core only). */
  revokeRemote(ec: Ec, pdSel: number, crd: Crd): Status {
    this.enter();
    if (ec.pd !== this.rootPd) return Status.INV_SELECTOR;
    const pd = this.lookup<Pd>(ec, pdSel, 'PD');
    if (!pd) return Status.INV_SELECTOR;
    const n = 2 ** crd.order;
    if (crd.type === CrdType.MEM) {
      for (const m of pd.memory.within(crd.base, n)) this.accounting.charge(Op.MAP_PAGE, MemorySpace.revoke(m, true));
      return Status.SUCCESS;
    }
    if (crd.type === CrdType.OBJ) {
      /* an entry revoked along with an earlier one of the range is gone already */
      for (const e of pd.objects.within(crd.base, n)) if (pd.objects.lookup(e.sel) === e) this.accounting.charge(Op.MAP_PAGE, ObjectSpace.revoke(e, true));
      return Status.SUCCESS;
    }
    return Status.INV_PARAMETER;
  }

  private makeEc(pd: Pd, name: string, utcbVirt: number, global: boolean, ip: number, sp: number): Ec | undefined {
    const vpage = Math.floor(utcbVirt / PAGE_SIZE);
    /* a destroyed EC's UTCB at the same address is still mapped there: it serves again */
    const spare = pd.spareUtcbs.get(vpage);
    if (spare !== undefined) pd.spareUtcbs.delete(vpage);
    const phys = spare ?? this.freeKernelPages.pop() ?? this.allocKernelPage();
    if (phys === undefined) return undefined;
    const page = this.machine.memory.find(phys, UTCB_SIZE)!;
    page.fill(0);
    const utcb = new Uint32Array(page.buffer, page.byteOffset, UTCB_WORDS);
    const ec = new Ec(pd, name, utcb, phys, global, ip, sp);
    ec.utcbVpage = vpage;
    if (spare === undefined && !pd.memory.map(vpage, phys >> PAGE_SHIFT, 1, MemRights.RW)) {
      this.freeKernelPages.push(phys);
      return undefined;
    }
    ec.onDestroy = (e) => this.destroyEc(e);
    pd.ecs.add(ec);
    return ec;
  }

  /** The last capability of an EC is gone (core killed the thread): it stops, its UTCB is kept for the PD. */
  private destroyEc(ec: Ec): void {
    this.stopEc(ec);
    if (!ec.pd.ecs.delete(ec)) return;
    ec.pd.spareUtcbs.set(ec.utcbVpage, ec.utcbPhys);
  }

  /* ---------------------------------------------------------------- object creation */

  createPd(ec: Ec, sel: number, name: string): Status {
    this.enter();
    if (ec.pd.objects.lookup(sel)) return Status.INV_SELECTOR;
    this.accounting.charge(Op.OBJECT_CREATE);
    ec.pd.objects.insert(sel, this.newPd(name), ALL_RIGHTS);
    return Status.SUCCESS;
  }

  /**
   * create_ec. `sp` is the initial stack pointer. A global EC of a PD that has a startup
   * portal gets its IP from the startup exception when its SC starts it (`ip` is then
   * ignored); elsewhere (the root PD, PDs without one) it starts at `ip`.
   */
  createEc(ec: Ec, sel: number, pdSel: number, name: string, utcbVirt: number, global: boolean, ip: number, sp: number): Status {
    this.enter();
    const pd = this.lookup<Pd>(ec, pdSel, 'PD');
    if (!pd || !pd.alive) return Status.INV_SELECTOR;
    if (ec.pd.objects.lookup(sel)) return Status.INV_SELECTOR;
    this.accounting.charge(Op.OBJECT_CREATE);
    const created = this.makeEc(pd, name, utcbVirt, global, ip, sp);
    if (!created) return Status.PD_OOM;
    ec.pd.objects.insert(sel, created, ALL_RIGHTS);
    return Status.SUCCESS;
  }

  /** Creates an SC for a global EC, which starts it (through its startup portal, if its PD has one). */
  createSc(ec: Ec, sel: number, pdSel: number, ecSel: number, prio: number, quantum = 10_000): Status {
    this.enter();
    const pd = this.lookup<Pd>(ec, pdSel, 'PD');
    const target = this.lookup<Ec>(ec, ecSel, 'EC');
    if (!pd || !target || target.pd !== pd) return Status.INV_SELECTOR;
    if (!target.global || target.sc) return Status.INV_PARAMETER;
    if (prio < 1 || prio > 127) return Status.INV_PARAMETER;
    if (ec.pd.objects.lookup(sel)) return Status.INV_SELECTOR;
    this.accounting.charge(Op.OBJECT_CREATE);
    const sc = new Sc(target, prio, quantum);
    target.sc = sc;
    ec.pd.objects.insert(sel, sc, ALL_RIGHTS);
    this.wake({ ec: target, resume: () => this.start(target) }, Status.SUCCESS);
    return Status.SUCCESS;
  }

  /**
   * A global EC runs for the first time. Where its PD has a startup portal, the EC raises
   * the startup exception first (message: MTD EIP | ESP with its IP and initial SP), and
   * the handler's reply sets where it starts.
   */
  private start(ec: Ec): void {
    const pt = ec.pd === this.rootPd ? undefined : ec.pd.objects.lookup(Sel.PT_STARTUP)?.obj;
    if (pt instanceof Pt && pt.ec.alive) {
      ec.pendingResume = (status) => {
        if (status === Status.SUCCESS) this.runAtIp(ec);
      };
      const caller = (ec.callWaiter ??= { ec, resume: ec.resumeCall });
      caller.exception = [Mtd.EIP | Mtd.ESP, ec.ip, ec.sp];
      this.enqueueCall(caller, pt);
      return;
    }
    this.runAtIp(ec);
  }

  private runAtIp(ec: Ec): void {
    const fn = ec.pd.code.get(ec.ip);
    if (!fn) return; // an EC without code faults; nothing runs
    fn(0, ec);
  }

  createPt(ec: Ec, sel: number, pdSel: number, ecSel: number, mtd: number, ip: number): Status {
    this.enter();
    const pd = this.lookup<Pd>(ec, pdSel, 'PD');
    const target = this.lookup<Ec>(ec, ecSel, 'EC');
    if (!pd || !target || target.pd !== pd) return Status.INV_SELECTOR;
    if (target.global) return Status.INV_PARAMETER;
    if (ec.pd.objects.lookup(sel)) return Status.INV_SELECTOR;
    this.accounting.charge(Op.OBJECT_CREATE);
    ec.pd.objects.insert(sel, new Pt(target, ip, mtd), ALL_RIGHTS);
    return Status.SUCCESS;
  }

  ptCtrl(ec: Ec, sel: number, id: number): Status {
    this.enter();
    const pt = this.lookup<Pt>(ec, sel, 'PT', PtRights.CTRL);
    if (!pt) return Status.INV_SELECTOR;
    pt.id = id;
    return Status.SUCCESS;
  }

  createSm(ec: Ec, sel: number, pdSel: number, count: number): Status {
    this.enter();
    if (!this.lookup<Pd>(ec, pdSel, 'PD')) return Status.INV_SELECTOR;
    if (ec.pd.objects.lookup(sel)) return Status.INV_SELECTOR;
    this.accounting.charge(Op.OBJECT_CREATE);
    ec.pd.objects.insert(sel, new Sm(count), ALL_RIGHTS);
    return Status.SUCCESS;
  }

  /** Genode's signal semaphore: `imprint` is delivered with the count when it is submitted. */
  createSi(ec: Ec, sel: number, pdSel: number, imprint: number, smSel: number): Status {
    this.enter();
    const sm = this.lookup<Sm>(ec, smSel, 'SM');
    if (!this.lookup<Pd>(ec, pdSel, 'PD') || !sm) return Status.INV_SELECTOR;
    if (ec.pd.objects.lookup(sel)) return Status.INV_SELECTOR;
    this.accounting.charge(Op.OBJECT_CREATE);
    ec.pd.objects.insert(sel, new Si(sm, imprint), ALL_RIGHTS);
    return Status.SUCCESS;
  }

  /* ---------------------------------------------------------------- ec_ctrl, sc_ctrl, pd_ctrl */

  /**
   * ec_ctrl. RECALL (needs EC_RECALL on `sel`) marks the EC recalled; YIELD and RESCHEDULE
   * concern the caller and change nothing on one CPU whose user code yields at every system
   * call; DONATE_SC, MIGRATE and TIME are not implemented (INV_FEATURE).
   */
  ecCtrl(ec: Ec, op: number, sel: number): Status {
    this.enter();
    switch (op) {
      case EcOp.RECALL: {
        const target = this.lookup<Ec>(ec, sel, 'EC', EcRights.RECALL);
        if (!target) return Status.INV_SELECTOR;
        if (!target.alive) return Status.IPC_ABORT;
        target.recalled = true;
        target.hold.pause();
        return Status.SUCCESS;
      }
      case EcOp.YIELD:
      case EcOp.RESCHEDULE:
        return Status.SUCCESS;
      case EcOp.DONATE_SC:
      case EcOp.MIGRATE:
      case EcOp.TIME:
        return Status.INV_FEATURE;
      default:
        return Status.INV_PARAMETER;
    }
  }

  /**
   * Core's pager replies to the recall exception of the EC at `sel` (core only): the EC's
   * held system call or return goes on through the run queue. INV_SELECTOR for anything
   * but an EC core holds, IPC_ABORT for a dead one.
   */
  recallReply(ec: Ec, sel: number): Status {
    this.enter();
    if (ec.pd !== this.rootPd) return Status.INV_SELECTOR;
    const target = this.lookup<Ec>(ec, sel, 'EC', EcRights.RECALL);
    if (!target) return Status.INV_SELECTOR;
    if (!target.alive) return Status.IPC_ABORT;
    target.recalled = false;
    target.hold.release((fn) => this.wake({ ec: target, resume: fn }, undefined));
    return Status.SUCCESS;
  }

  /** Whether `ec` was recalled since the last time this was asked (the kernel's recall hazard). */
  ecRecalled(ec: Ec): boolean {
    const r = ec.recalled;
    ec.recalled = false;
    return r;
  }

  /** sc_ctrl(TIME): the time the SC at `sel` consumed, in microseconds of virtual time. */
  scCtrl(ec: Ec, sel: number, op: number = ScOp.TIME): { status: Status; time: number } {
    this.enter();
    if (op !== ScOp.TIME) return { status: Status.INV_PARAMETER, time: 0 };
    const sc = this.lookup<Sc>(ec, sel, 'SC');
    if (!sc) return { status: Status.INV_SELECTOR, time: 0 };
    return { status: Status.SUCCESS, time: Math.floor((sc.consumed * 1e6) / this.machine.clock.tscHz) };
  }

  /**
   * pd_ctrl_debug (Genode's fork): what the PD at `sel` holds in the kernel: capabilities in
   * its object space, ECs (each with a UTCB page of kernel memory) and pages mapped.
   */
  pdCtrlDebug(ec: Ec, sel: number): { status: Status; objects: number; ecs: number; kernelPages: number; mappedPages: number } {
    this.enter();
    const pd = this.lookup<Pd>(ec, sel, 'PD');
    if (!pd) return { status: Status.INV_SELECTOR, objects: 0, ecs: 0, kernelPages: 0, mappedPages: 0 };
    return { status: Status.SUCCESS, objects: pd.objects.size, ecs: pd.ecs.size, kernelPages: pd.ecs.size, mappedPages: pd.memory.pages };
  }

  /* ---------------------------------------------------------------- capability management */

  /** Delegates a range from `srcPd` to `dstPd` at `dstBase` (core only: it holds both PD caps). */
  delegate(ec: Ec, srcPdSel: number, dstPdSel: number, crd: Crd, dstBase: number): Status {
    this.enter();
    const src = this.lookup<Pd>(ec, srcPdSel, 'PD');
    const dst = this.lookup<Pd>(ec, dstPdSel, 'PD');
    if (!src || !dst || !dst.alive) return Status.INV_SELECTOR;
    const n = 2 ** crd.order;
    this.accounting.charge(Op.ITEM_TRANSLATE);
    if (crd.type === CrdType.OBJ) {
      for (const e of src.objects.within(crd.base, n)) {
        this.accounting.charge(Op.MAP_PAGE);
        dst.objects.insert(dstBase + (e.sel - crd.base), e.obj, e.rights & crd.rights, e);
      }
      return Status.SUCCESS;
    }
    if (crd.type === CrdType.MEM) {
      const m = src.memory.find(crd.base);
      if (!m || crd.base + n > m.vend) return Status.INV_PARAMETER;
      this.accounting.charge(Op.MAP_PAGE);
      const ppage = m.ppage + (crd.base - m.vpage);
      return dst.memory.map(dstBase, ppage, n, m.rights & crd.rights, m) ? Status.SUCCESS : Status.INV_PARAMETER;
    }
    if (crd.type === CrdType.IO) {
      for (let p = crd.base; p < crd.base + n; p++) if (!src.ioPorts.has(p)) return Status.INV_PARAMETER;
      for (let p = crd.base; p < crd.base + n; p++) dst.ioPorts.add(p);
      return Status.SUCCESS;
    }
    return Status.INV_PARAMETER;
  }

  /** Revokes what was derived from the caller's range; with `self` the caller's own entries too. */
  revoke(ec: Ec, crd: Crd, self: boolean): Status {
    this.enter();
    const n = 2 ** crd.order;
    if (crd.type === CrdType.OBJ) {
      for (const e of ec.pd.objects.within(crd.base, n)) if (ec.pd.objects.lookup(e.sel) === e) this.accounting.charge(Op.MAP_PAGE, ObjectSpace.revoke(e, self));
      return Status.SUCCESS;
    }
    if (crd.type === CrdType.MEM) {
      for (const m of ec.pd.memory.within(crd.base, n)) {
        const lo = Math.max(crd.base, m.vpage);
        const hi = Math.min(crd.base + n, m.vend);
        const whole = lo === m.vpage && hi === m.vend;
        this.accounting.charge(Op.MAP_PAGE, MemorySpace.revoke(m, self && whole, m.ppage + (lo - m.vpage), hi - lo));
      }
      return Status.SUCCESS;
    }
    return Status.INV_PARAMETER;
  }

  /** The CRD of what the caller holds at `sel` (type NULL if nothing). */
  lookupCrd(ec: Ec, sel: number): Crd {
    this.enter();
    const e = this.entry(ec, sel);
    return e ? objCrd(sel, 0, e.rights) : { type: CrdType.NULL, base: 0, order: 0, rights: 0 };
  }

  /** Kind of the object at `sel` in the caller's space, for diagnostics ("PT", "SM", ...). */
  kindOf(ec: Ec, sel: number): string | undefined {
    return ec.pd.objects.lookup(sel)?.obj.kind;
  }

  /* ---------------------------------------------------------------- IPC */

  /**
   * Calls the portal at `ptSel`: the request is in the caller's UTCB, the reply arrives
   * there. The kernel resumes the caller by calling `resume` exactly once with the status
   * (continuation style: the emulated CPU returns from the syscall).
   */
  call(ec: Ec, ptSel: number, resume: (status: Status) => void): void {
    this.enter();
    /* a destroyed EC makes no more system calls: user code still running for it stops here */
    if (this.stopped || !ec.alive) return;
    /* a recalled EC's system call waits in its recall exception until core resumes it */
    if (ec.hold.held) return this.callWhenResumed(ec, ptSel, resume);
    const pt = this.lookup<Pt>(ec, ptSel, 'PT', PtRights.CALL);
    if (!pt) return resume(Status.INV_SELECTOR);
    const callee = pt.ec;
    if (!callee.alive) return resume(Status.IPC_ABORT);
    if (!messageFits(ec.utcb)) return resume(Status.INV_PARAMETER);
    /*
     * An EC blocked in a call cannot make another on real hardware; user code that calls
     * again through an EC that waits (asynchronous code can) is refused, and the pending
     * call keeps its UTCB and its continuation.
     */
    if (ec.pendingResume) return resume(Status.INV_PARAMETER);
    this.enterPortal(ec, pt, resume, undefined);
  }

  /*
   * The continuations of the IPC path's rare cases, made in functions of their own: a
   * closure in the hot function itself would make V8 allocate its variables on every call.
   */
  private callWhenResumed(ec: Ec, ptSel: number, resume: (status: Status) => void): void {
    ec.hold.pass(() => this.call(ec, ptSel, resume));
  }

  private enqueueAtGate(caller: Waiter, pt: Pt): void {
    this.run.dispatch(() => this.enqueueCall(caller, pt));
  }

  private enterWhenResumed(callee: Ec, fn: (id: number, ec: Ec) => void, pt: Pt): void {
    callee.hold.pass(() => fn(pt.id, callee));
  }

  private resumeAtGate(caller: Waiter, status: Status): void {
    this.run.dispatch(() => caller.resume(status));
  }

  /**
   * The EC touched `vaddr` as `access` where its PD has no such mapping: the CPU raises a
   * page fault, which NOVA turns into a call of the PD's page-fault exception portal (on
   * the faulting EC's behalf, with the fault in the handler's UTCB). The handler (core's
   * pager) replies with memory items that the kernel maps into the PD at their hotspot;
   * then the EC runs again (`resume`). Without a portal the EC cannot go on (ABORT).
   */
  pageFault(ec: Ec, vaddr: number, access: 'read' | 'write' | 'exec', resume: (status: Status) => void): void {
    this.enter();
    if (this.stopped || !ec.alive) return;
    if (ec.pendingResume) return resume(Status.INV_PARAMETER);
    const pt = ec.pd.objects.lookup(Sel.PT_PAGE_FAULT)?.obj;
    if (!(pt instanceof Pt) || !pt.ec.alive) return resume(Status.IPC_ABORT);
    this.accounting.charge(Op.SYSCALL);
    const present = this.memoryAccessible(ec, vaddr, 'read') > 0 ? PfError.PRESENT : 0;
    const err = present | (access === 'write' ? PfError.WRITE : 0) | (access === 'exec' ? PfError.FETCH : 0);
    this.enterPortal(ec, pt, resume, [err, vaddr >>> 0, ec.ip]);
  }

  /** An EC enters a portal (a call, or an exception with its message words). */
  private enterPortal(ec: Ec, pt: Pt, resume: (status: Status) => void, exception: readonly number[] | undefined): void {
    /* an EC has at most one call outstanding: its waiter record is reused */
    ec.pendingResume = resume;
    const caller = (ec.callWaiter ??= { ec, resume: ec.resumeCall });
    caller.exception = exception;
    /* within a time slice the call goes straight on; after it, it waits its turn at the gate */
    if (this.run.gated) this.enqueueAtGate(caller, pt);
    else this.enqueueCall(caller, pt);
  }

  /**
   * A call reaches the portal's local EC, or finds it busy. Then the caller helps (NOVA's
   * `Ec::help`): it lends its SC to the EC at the end of the busy EC's partner chain, so the
   * work that EC has still to do runs at least at the caller's priority and, while the
   * caller's SC is the highest of those that run it, on the caller's time (runningSc).
   * When the busy EC replies, the helper retries its call (nextCaller), highest priority first.
   */
  private enqueueCall(caller: Waiter, pt: Pt): void {
    if (!pt.ec.caller && !pt.ec.retrying) return this.deliver(caller, pt);
    this.accounting.charge(Op.SCHEDULE);
    pt.ec.callQueue.push({ caller, pt });
    caller.ec.helping = pt.ec;
    const sc = this.runningSc(caller.ec);
    if (!sc) return;
    for (const e of this.partnerChain(pt.ec)) if (e.pendingWork) this.run.boost(e.pendingWork, sc.prio);
  }

  /**
   * The ECs a helper of `ec` helps: `ec`, the local EC serving `ec`'s own call (its partner)
   * and so on, and, where one of them is itself waiting to retry a call (helping), the EC it helps.
   */
  private partnerChain(ec: Ec): Ec[] {
    const chain: Ec[] = [];
    const seen = new Set<Ec>();
    for (let e: Ec | undefined = ec; e && !seen.has(e); e = e.partner ?? e.helping) {
      seen.add(e);
      chain.push(e);
    }
    return chain;
  }

  private deliver(caller: Waiter, pt: Pt): void {
    const callee = pt.ec;
    /* the caller's UTCB may have changed while it waited: bound the message again */
    if (!messageFits(caller.ec.utcb)) {
      caller.resume(Status.INV_PARAMETER);
      this.nextCaller(callee);
      return;
    }
    if (caller.exception) this.exceptionMessage(caller.exception, callee);
    else this.transfer(caller.ec, callee);
    callee.caller = caller;
    caller.ec.partner = callee;
    caller.ec.helping = undefined;
    this.currentPd = caller.ec.pd;
    this.switchTo(callee.pd);
    const fn = callee.pd.code.get(pt.ip);
    if (!fn) {
      callee.caller = undefined;
      caller.ec.partner = undefined;
      caller.resume(Status.IPC_ABORT);
      return;
    }
    /* a recalled local EC takes the call once core resumes it */
    if (callee.hold.held) return this.enterWhenResumed(callee, fn, pt);
    fn(pt.id, callee);
  }

  /** Replies to the call the local EC is serving, switching directly back to the caller. */
  reply(ec: Ec): Status {
    this.enter();
    const caller = ec.caller;
    if (!caller) return Status.INV_PARAMETER;
    ec.caller = undefined;
    caller.ec.partner = undefined;
    /* a malformed reply reaches nobody: the caller learns that its call failed, nothing is copied */
    const fits = messageFits(ec.utcb);
    const status = fits ? Status.SUCCESS : Status.INV_PARAMETER;
    if (caller.ec.alive) {
      if (fits && caller.exception) this.exceptionReply(ec, caller.ec);
      else if (fits) this.transfer(ec, caller.ec);
      this.currentPd = ec.pd;
      this.switchTo(caller.ec.pd);
      if (this.run.gated) this.resumeAtGate(caller, status);
      else caller.resume(status);
    }
    this.nextCaller(ec);
    return status;
  }

  /**
   * The local EC is free again: the helpers waiting for it retry their calls, the one of
   * highest priority first (among equals the earliest), each when the scheduler gets to it
   * at its priority; the EC stays reserved for that retry meanwhile.
   */
  private nextCaller(ec: Ec): void {
    /* the common case, nobody waiting, without the work below (whose closures V8 would allocate for) */
    if (ec.callQueue.length === 0) return;
    this.retryWaiting(ec);
  }

  private retryWaiting(ec: Ec): void {
    while (!ec.caller && !ec.retrying && ec.callQueue.length > 0) {
      let at = 0;
      let prio = -Infinity;
      ec.callQueue.forEach((q, i) => {
        const p = this.runningSc(q.caller.ec)?.prio ?? q.caller.ec.prio;
        if (p > prio) { prio = p; at = i; }
      });
      const { caller, pt } = ec.callQueue.splice(at, 1)[0]!;
      caller.ec.helping = undefined;
      if (!caller.ec.alive) continue;
      if (!ec.alive) {
        caller.resume(Status.IPC_ABORT);
        continue;
      }
      const retry = { caller, pt };
      ec.retrying = retry;
      this.run.enqueue(prio, () => {
        if (ec.retrying !== retry) return;
        ec.retrying = undefined;
        if (!caller.ec.alive) return this.nextCaller(ec);
        if (!ec.alive) {
          caller.resume(Status.IPC_ABORT);
          return this.nextCaller(ec);
        }
        this.deliver(caller, pt);
      });
      break;
    }
  }

  /**
   * Translate, as NOVA does it: walk the mapping database from the sent capability towards
   * its root and take the first entry that lies in the receiver's space and within its
   * translate window. A capability the receiver holds only through another branch (a
   * sibling delegation) is not found: the item falls back to delegation.
   */
  private translation(sent: CapEntry, dst: Pd, xlt: Crd): CapEntry | undefined {
    if (xlt.type !== CrdType.OBJ) return undefined;
    const end = xlt.base + 2 ** xlt.order;
    for (let n: CapEntry | undefined = sent; n; n = n.parent) {
      this.accounting.charge(Op.CAP_LOOKUP);
      if (n.space === dst.objects && n.sel >= xlt.base && n.sel < end) return n;
    }
    return undefined;
  }

  /** The exception state the handler's portal asks for, as untyped words in its UTCB. */
  private exceptionMessage(words: readonly number[], handler: Ec): void {
    const d = handler.utcb;
    for (let i = 0; i < words.length; i++) d[UTCB_HEADER_WORDS + i] = words[i]!;
    d[UtcbHeader.ITEMS] = words.length;
    this.accounting.charge(Op.WORD_COPY, words.length);
  }

  /**
   * The reply to an exception sets the state its MTD (first untyped word) names: EIP, ESP
   * (the words after it), and maps its memory items.
   */
  private exceptionReply(handler: Ec, faulter: Ec): void {
    const u = handler.utcb;
    const untyped = u[UtcbHeader.ITEMS]! & 0xffff;
    if (untyped >= 3) {
      const mtd = u[UTCB_HEADER_WORDS]!;
      if (mtd & Mtd.EIP) faulter.ip = u[UTCB_HEADER_WORDS + 1]!;
      if (mtd & Mtd.ESP) faulter.sp = u[UTCB_HEADER_WORDS + 2]!;
    }
    this.mapReplyItems(handler, faulter);
  }

  /**
   * The reply to an exception: each memory item {crd in the handler's space, hotspot} is
   * delegated into the faulting EC's PD at the hotspot's page, aligned to the item's order,
   * with no more rights than the handler holds. What does not fit is not mapped.
   */
  private mapReplyItems(handler: Ec, faulter: Ec): void {
    const s = handler.utcb;
    const typed = s[UtcbHeader.ITEMS]! >>> 16;
    for (let i = 0; i < typed && i < MAX_REPLY_ITEMS; i++) {
      const at = UTCB_WORDS - 2 * (i + 1);
      const crd = decodeCrd(s[at]!);
      if (crd.type !== CrdType.MEM) continue;
      this.accounting.charge(Op.ITEM_TRANSLATE);
      const n = 2 ** crd.order;
      const m = handler.pd.memory.find(crd.base);
      if (!m || crd.base % n !== 0 || crd.base + n > m.vend) continue;
      const hot = Math.floor(s[at + 1]! / PAGE_SIZE / n) * n;
      this.accounting.charge(Op.MAP_PAGE);
      faulter.pd.memory.map(hot, m.ppage + (crd.base - m.vpage), n, m.rights & crd.rights, m);
    }
  }

  /** Copies untyped words and translates typed items from `src`'s UTCB into `dst`'s (bounded by `messageFits`). */
  private transfer(src: Ec, dst: Ec): void {
    const s = src.utcb;
    const d = dst.utcb;
    const items = s[UtcbHeader.ITEMS]!;
    const untyped = items & 0xffff;
    const typed = items >>> 16;
    if (untyped <= 16) {
      for (let i = UTCB_HEADER_WORDS; i < UTCB_HEADER_WORDS + untyped; i++) d[i] = s[i]!;
    } else {
      d.set(s.subarray(UTCB_HEADER_WORDS, UTCB_HEADER_WORDS + untyped), UTCB_HEADER_WORDS);
    }
    this.accounting.charge(Op.WORD_COPY, untyped);
    if (typed === 0) {
      d[UtcbHeader.ITEMS] = untyped;
      return;
    }
    let delivered = 0;
    const rcv = decodeCrd(d[UtcbHeader.CRD_RCV]!);
    const xlt = decodeCrd(d[UtcbHeader.CRD_XLT]!);
    let rcvNext = 0;
    for (let i = 0; i < typed; i++) {
      const at = UTCB_WORDS - 2 * (i + 1);
      const crd = decodeCrd(s[at]!);
      const flags = s[at + 1]!;
      this.accounting.charge(Op.ITEM_TRANSLATE);
      let result = 0; // NULL crd: nothing transferred
      const e = crd.type === CrdType.OBJ ? src.pd.objects.lookup(crd.base) : undefined;
      if (e) {
        const have = flags & ItemFlags.TRANSLATE ? this.translation(e, dst.pd, xlt) : undefined;
        if (have) {
          result = encodeCrd(objCrd(have.sel, 0, have.rights));
        } else if (rcv.type === CrdType.OBJ) {
          while (rcvNext < 2 ** rcv.order && dst.pd.objects.lookup(rcv.base + rcvNext)) rcvNext++;
          if (rcvNext < 2 ** rcv.order) {
            const sel = rcv.base + rcvNext++;
            this.accounting.charge(Op.MAP_PAGE);
            /* delegation only ever reduces rights: what the sender holds and offers */
            const ne = dst.pd.objects.insert(sel, e.obj, e.rights & crd.rights, e);
            if (ne) result = encodeCrd(objCrd(sel, 0, ne.rights));
          }
        }
      }
      d[UTCB_WORDS - 2 * (delivered + 1)] = result;
      d[UTCB_WORDS - 2 * (delivered + 1) + 1] = flags;
      delivered++;
    }
    d[UtcbHeader.ITEMS] = untyped | (delivered << 16);
  }

  /* ---------------------------------------------------------------- semaphores and signals */

  /**
   * sm_ctrl: UP on an SM or SI; DOWN / DOWNZERO block until the count is positive or the
   * absolute TSC `deadline` passes (TIMEOUT).
   */
  smCtrl(ec: Ec, sel: number, op: SmOp, deadline?: number): Promise<Status> | Status {
    this.enter();
    const e = this.entry(ec, sel);
    if (!e) return Status.INV_SELECTOR;
    if (op === SmOp.UP) {
      if ((e.rights & SmRights.UP) === 0) return Status.INV_SELECTOR;
      if (e.obj instanceof Si) {
        this.signal(e.obj);
        return Status.SUCCESS;
      }
      if (e.obj instanceof Sm) {
        this.semUp(e.obj);
        return Status.SUCCESS;
      }
      return Status.INV_SELECTOR;
    }
    if (!(e.obj instanceof Sm) || (e.rights & SmRights.DOWN) === 0) return Status.INV_SELECTOR;
    const sm = e.obj;
    if (sm.gsi?.si) return this.ackGsi(sm.gsi);
    if (sm.count > 0) {
      sm.count = op === SmOp.DOWNZERO ? 0 : sm.count - 1;
      return Status.SUCCESS;
    }
    if (deadline !== undefined && deadline <= this.tsc()) return Status.TIMEOUT;
    if (this.stopped) return new Promise<Status>(() => {});
    return new Promise<Status>((resume) => {
      const w: SemaphoreWaiter = { ec, resume, deadline };
      sm.waiters.push(w);
      if (deadline !== undefined) {
        this.timeouts.push(w);
        this.smOfWaiter.set(w, sm);
      }
    });
  }

  private semUp(sm: Sm): void {
    const w = sm.waiters.shift();
    if (w) {
      if (w.deadline !== undefined) {
        this.removeTimeout(w);
        this.smOfWaiter.delete(w);
      }
      this.wake(w, Status.SUCCESS);
    } else {
      sm.count++;
    }
  }

  private signal(si: Si): void {
    si.count++;
    if (!si.queued) {
      si.queued = true;
      si.sm.pendingSignals.push(si);
      this.semUp(si.sm);
    }
  }

  /** si_ctrl DOWN on the signal SM: waits for a submitted signal and returns its imprint and count. */
  async waitSignal(ec: Ec, smSel: number): Promise<SignalInfo> {
    for (;;) {
      const st = await this.smCtrl(ec, smSel, SmOp.DOWN);
      if (st !== Status.SUCCESS) return { status: st, imprint: 0, count: 0 };
      const sm = this.lookup<Sm>(ec, smSel, 'SM')!;
      const si = sm.pendingSignals.shift();
      if (!si) continue;
      si.queued = false;
      const count = si.count;
      si.count = 0;
      if (si.refs === 0) continue; // the context was freed meanwhile
      return { status: Status.SUCCESS, imprint: si.imprint, count };
    }
  }

  /**
   * Routes an interrupt line to a semaphore and unmasks it at the PIC. With `siSel` (a
   * signal semaphore) the GSI signals it directly, as Genode's NOVA binds an IRQ to the
   * driver's signal context: no thread of core takes part. `siSel` 0 unbinds the signal.
   */
  assignGsi(ec: Ec, smSel: number, irq: number, siSel?: number): Status {
    this.enter();
    const sm = this.lookup<Sm>(ec, smSel, 'SM');
    if (!sm || irq < 0 || irq > 15) return Status.INV_SELECTOR;
    if (siSel !== undefined) {
      const si = siSel === 0 ? undefined : this.lookup<Si>(ec, siSel, 'SI');
      if (siSel !== 0 && !si) return Status.INV_SELECTOR;
      const g = (sm.gsi ??= { irq, si: undefined, masked: false, pending: false });
      g.si = si;
      /* an occurrence before the signal was bound is delivered now */
      if (si && g.pending && !g.masked) this.deliverGsi(g);
    }
    this.irqSemaphores.set(irq, sm);
    this.unmaskIrq(irq);
    return Status.SUCCESS;
  }

  /** An occurrence of a GSI bound to a signal: submitted unless the last one awaits its acknowledgement. */
  private gsiOccurred(g: GsiSignal): void {
    g.pending = true;
    if (g.si && !g.masked) this.deliverGsi(g);
  }

  private deliverGsi(g: GsiSignal): void {
    g.pending = false;
    g.masked = true;
    this.signal(g.si!);
  }

  /** sm_ctrl(DOWN) on a GSI semaphore bound to a signal: the acknowledgement that unmasks it. */
  private ackGsi(g: GsiSignal): Status {
    g.masked = false;
    if (g.pending && g.si) this.deliverGsi(g);
    return Status.SUCCESS;
  }

  /* ---------------------------------------------------------------- memory and I/O access (the MMU) */

  /** A view of the caller PD's virtual range, as its loads and stores would see it; undefined if unmapped. */
  memoryView(ec: Ec, vaddr: number, size: number, write = false): Uint8Array | undefined {
    const pd = ec.pd;
    const first = Math.floor(vaddr / PAGE_SIZE);
    const last = Math.floor((vaddr + Math.max(size, 1) - 1) / PAGE_SIZE);
    const m = pd.memory.find(first);
    if (!m) return undefined;
    /* the range must be physically contiguous: follow adjacent mappings */
    let cur = m;
    while (cur.vend <= last) {
      const next = pd.memory.find(cur.vend);
      if (!next || next.ppage !== cur.ppage + cur.pages) return undefined;
      if (write && (next.rights & MemRights.W) === 0) return undefined;
      cur = next;
    }
    if (write && (m.rights & MemRights.W) === 0) return undefined;
    const phys = m.ppage * PAGE_SIZE + (vaddr - m.vpage * PAGE_SIZE);
    if (phys + size <= this.machine.memory.size) return this.machine.memory.find(phys, size);
    return this.machine.mmio(phys, size)?.bytes;
  }

  /**
   * How many bytes from `vaddr` the EC can access as `access` without a fault (what the
   * MMU would let through, across adjacent mappings); 0 if the first byte faults.
   */
  memoryAccessible(ec: Ec, vaddr: number, access: 'read' | 'write' | 'exec'): number {
    const need = access === 'write' ? MemRights.W : access === 'exec' ? MemRights.X : MemRights.R;
    let page = Math.floor(vaddr / PAGE_SIZE);
    let n = 0;
    for (let m = ec.pd.memory.find(page); m && (m.rights & need) === need; m = ec.pd.memory.find(page)) {
      n += (m.vend - page) * PAGE_SIZE;
      page = m.vend;
    }
    return n === 0 ? 0 : n - (vaddr % PAGE_SIZE);
  }

  /**
   * A load (`write` false) or store of `width` bytes at the EC's virtual address `vaddr` that
   * its PD mapped onto register-decoded device memory (an IO_MEM dataspace of the AHCI's
   * ABAR): the MMU translates the address through the PD's memory space, the device decodes
   * the access. Returns the value read (unsigned), 0 for a store, or an MmioError (FAULT:
   * not mapped with the rights, the caller raises the page fault and retries).
   */
  mmio(ec: Ec, vaddr: number, width: number, write: boolean, value = 0): number {
    if (!mmioAccessOk(vaddr, width)) return MmioError.BAD_ACCESS;
    const need = write ? MemRights.W : MemRights.R;
    const m = ec.pd.memory.find(Math.floor(vaddr / PAGE_SIZE));
    if (!m || (m.rights & need) !== need) return MmioError.FAULT;
    const phys = m.ppage * PAGE_SIZE + (vaddr - m.vpage * PAGE_SIZE);
    return mmioAccess(this.machine, phys, width, write, value);
  }

  ioIn(ec: Ec, port: number, width: 1 | 2 | 4): number | undefined {
    for (let i = 0; i < width; i++) if (!ec.pd.ioPorts.has(port + i)) return undefined;
    return this.machine.inPort(port, width);
  }

  ioOut(ec: Ec, port: number, width: 1 | 2 | 4, value: number): boolean {
    for (let i = 0; i < width; i++) if (!ec.pd.ioPorts.has(port + i)) return false;
    this.machine.outPort(port, width, value);
    return true;
  }

  /* ---------------------------------------------------------------- teardown */

  private destroyPd(pd: Pd): void {
    this.accounting.charge(Op.MAP_PAGE, pd.objects.clear() + pd.memory.clear());
    this.haltPd(pd);
    for (const ec of pd.ecs) this.freeKernelPages.push(ec.utcbPhys);
    for (const phys of pd.spareUtcbs.values()) this.freeKernelPages.push(phys);
    pd.ecs.clear();
    pd.spareUtcbs.clear();
    pd.ioPorts.clear();
  }

  /**
   * Stops every EC of a PD whose user code faulted: they never run again, callers blocked
   * on them get IPC_ABORT. The PD itself lives on until core destroys it.
   */
  haltPd(pd: Pd): void {
    for (const ec of pd.ecs) this.stopEc(ec);
    pd.code.clear();
  }

  /**
   * Stops one EC for good (its PD halted, or its last capability revoked: core killed the
   * thread): it is never resumed, a call it waits in never returns to it, and callers
   * blocked on it (a local EC) get IPC_ABORT. Its UTCB stays until the PD goes.
   */
  private stopEc(ec: Ec): void {
    ec.alive = false;
    if (ec.caller) {
      const c = ec.caller;
      ec.caller = undefined;
      c.resume(Status.IPC_ABORT);
    }
    for (const q of ec.callQueue.splice(0)) {
      q.caller.ec.helping = undefined;
      q.caller.resume(Status.IPC_ABORT);
    }
    const r = ec.retrying;
    ec.retrying = undefined;
    r?.caller.resume(Status.IPC_ABORT);
  }

  private stopped = false;

  /** Powers the machine off: no EC runs again, blocked ones stay blocked forever. */
  shutdown(): void {
    this.stopped = true;
    this.run.stop();
    this.idle.stop();
    this.timeouts.length = 0;
  }

  /** Number of live entries in a PD's object space (for leak checks). */
  static capCount(pd: Pd): number {
    return pd.objects.size;
  }
}

/**
 * Whether the message a UTCB describes lies within it: the untyped words grow from the
 * header, the typed items (two words each) from the end of the page, and the two must not
 * meet. The counts are the sender's own words; the kernel trusts none of them, so an
 * oversized count can neither spill into the receiver's header or receive window nor read
 * beyond the sender's UTCB.
 */
/** The SC an EC runs on: its own, or for a local EC serving a call the one its caller donated. */
function scOf(ec: Ec): Sc | undefined {
  let e: Ec | undefined = ec;
  for (let depth = 0; e && !e.sc && depth < 64; depth++) e = e.caller?.ec;
  return e?.sc;
}

export function messageFits(utcb: Uint32Array): boolean {
  const items = utcb[UtcbHeader.ITEMS]!;
  const untyped = items & 0xffff;
  const typed = items >>> 16;
  return UTCB_HEADER_WORDS + untyped + 2 * typed <= UTCB_WORDS;
}
