/*
 * Core's platform on NOVA: core runs in the root PD and creates every kernel object
 * through system calls: PDs, ECs and SCs for threads, portals for RPC objects, semaphores
 * for signals. Memory reaches a component by delegating core's identity-mapped pages.
 */
import { Capability } from '../../../base/src/capability.js';
import type { RpcCapFactory } from '../../../base/src/lib/entrypoint.js';
import { utcbOfStack } from '../../../base/src/lib/stack_area.js';
import type { CorePlatform, LoadedBinary, Pager, PlatformPd, PlatformThread, PlatformThreadState } from '../../../base/src/core/platform.js';
import { ThreadKindCode, kernelPriority } from '../../../base/src/core/platform.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { EcOp, MemRights, Mtd, PAGE_SHIFT, PAGE_SIZE, PfError, PtRights, STATUS_NAMES, Sel, SmOp, Status, UTCB_HEADER_WORDS, UTCB_WORDS, UtcbHeader, encodeCrd, memCrd, objCrd, ioCrd } from '../kernel/abi.js';
import type { Hypervisor } from '../kernel/hypervisor.js';
import type { Ec } from '../kernel/objects.js';
import { NovaCapability, selOf } from '../lib/capability.js';
import { NovaIpcThread } from '../lib/ipc_thread.js';
import { NovaCaller } from '../lib/call.js';
import { SELECTOR_SPACE, Selectors } from '../lib/selectors.js';
import { preload, programEntry } from './loader.js';
import { coreGate } from './core_gate.js';
import type { EcRef, NovaSyscalls } from '../kernel/syscall_gate.js';

/** Where core's main EC has its UTCB (boot.ts). */
export const CORE_MAIN_UTCB = 0x8000;
/** Core's own threads keep their UTCBs below the memory it hands out. */
const CORE_UTCB_BASE = 0x10000;
const CORE_ACTIVATION_IP = 0x1000;
const PRIO_DEFAULT = 64;
/** Genode's priority range maps onto NOVA priorities 64 down to 1. */
const PRIO_LEVELS = 63;
/** Where core's pager ECs enter for a page-fault exception, and for a startup exception. */
const CORE_PAGER_IP = 0x3000;
const CORE_STARTUP_IP = 0x3010;

/** Splits [page, page+count) into naturally aligned power-of-two chunks that also fit `other`'s alignment. */
function* flexpages(page: number, count: number, other: number): Generator<{ page: number; other: number; order: number }> {
  let p = page;
  let o = other;
  let left = count;
  while (left > 0) {
    let order = 0;
    while (order < 20 && (p % 2 ** (order + 1)) === 0 && (o % 2 ** (order + 1)) === 0 && 2 ** (order + 1) <= left) order++;
    yield { page: p, other: o, order };
    p += 2 ** order;
    o += 2 ** order;
    left -= 2 ** order;
  }
}

class NovaPd implements PlatformPd {
  /** Core's pager EC for this PD and the portals delegated to its page-fault and startup selectors. */
  pager: { ec: number; pt: number; startPt: number; utcb: number } | undefined;
  /** Where each global EC core created starts, by its initial stack pointer (the startup handler's ESP). */
  readonly starts = new Map<number, number>();

  constructor(private readonly platform: NovaCorePlatform, readonly label: string, readonly sel: number) {}

  unmap(vaddr: number, size: number): void {
    const hv = this.platform.hv;
    for (const f of flexpages(vaddr >> PAGE_SHIFT, Math.ceil(size / PAGE_SIZE), vaddr >> PAGE_SHIFT)) {
      hv.revokeRemote(this.platform.ec, this.sel, memCrd(f.page, f.order));
    }
  }

  assignParent(parent: Capability<unknown>): boolean {
    const sel = selOf(parent);
    if (sel === undefined) return false;
    return this.platform.hv.delegate(this.platform.ec, Sel.PD_SELF, this.sel, objCrd(sel, 0, PtRights.CALL), Sel.PT_PARENT) === Status.SUCCESS;
  }

  allowIoPorts(base: number, size: number): boolean {
    for (let p = base; p < base + size; p++) {
      if (this.platform.hv.delegate(this.platform.ec, Sel.PD_SELF, this.sel, ioCrd(p), 0) !== Status.SUCCESS) return false;
    }
    return true;
  }

  destroy(): void {
    this.platform.destroyPager(this);
    this.platform.hv.revoke(this.platform.ec, objCrd(this.sel), true);
    this.platform.selectors.free(this.sel);
  }
}

class NovaThread implements PlatformThread {
  ecSel: number | undefined;
  private scSel: number | undefined;
  /** For an entrypoint thread: the IP its portals enter at. */
  ip = 0;
  private sp = 0;

  constructor(private readonly platform: NovaCorePlatform, readonly pd: NovaPd, readonly name: string, readonly kind: ThreadKindCode,
    private readonly prio = PRIO_DEFAULT) {}

  start(ip: number, sp: number, binary?: LoadedBinary): string | undefined {
    const { hv, ec, selectors } = this.platform;
    if (this.ecSel !== undefined) return 'it is started already';
    const utcb = utcbOfStack(sp);
    if (utcb === undefined) return 'the stack pointer is not in a stack slot';
    const fault = (reason: string) => this.platform.reportFault(this.pd, reason);
    const failed = (call: string, s: Status) => `${call} failed: ${STATUS_NAMES[s]}${s === Status.PD_OOM ? ` (the kernel's ${hv.kernelMemoryBytes / 1024} KiB of kernel memory are used up)` : ''}`;
    const noPager = this.platform.createPager(this.pd);
    if (noPager) return noPager;
    let s: Status;
    if (binary && (s = hv.installCode(ec, this.pd.sel, ip, programEntry(hv, this.pd.label, binary, sp, fault))) !== Status.SUCCESS) return failed('loading the binary', s);
    const global = this.kind === ThreadKindCode.GLOBAL;
    const ecSel = selectors.alloc();
    /* a global EC gets its IP from the startup exception, answered by core's pager from `starts` */
    if ((s = hv.createEc(ec, ecSel, this.pd.sel, `${this.pd.label}:${this.name}`, utcb, global, global ? 0 : ip, sp)) !== Status.SUCCESS) {
      selectors.free(ecSel);
      return failed('create_ec', s);
    }
    if (global) this.pd.starts.set(sp, ip);
    this.ecSel = ecSel;
    this.ip = ip;
    this.sp = sp;
    if (global) {
      this.scSel = selectors.alloc();
      if ((s = hv.createSc(ec, this.scSel, this.pd.sel, ecSel, this.prio)) !== Status.SUCCESS) return failed('create_sc', s);
    }
    return undefined;
  }

  /** sc_ctrl(TIME) of the thread's SC; an entrypoint has none (it runs on its callers' SCs). */
  executionTime(): number | undefined {
    if (this.ecSel === undefined) return undefined;
    if (this.scSel === undefined) return 0;
    const r = this.platform.hv.scCtrl(this.platform.ec, this.scSel);
    return r.status === Status.SUCCESS ? r.time : undefined;
  }

  private kernelEc(): Ec | undefined {
    if (this.ecSel === undefined) return undefined;
    const e = this.platform.hv.rootPd.objects.lookup(this.ecSel)?.obj;
    return e?.kind === 'EC' ? (e as Ec) : undefined;
  }

  /* Genode's base-nova: ec_ctrl(RECALL); the EC is held in its recall exception by core's pager */
  pause(): string | undefined {
    if (this.ecSel === undefined) return 'it is not started';
    const s = this.platform.hv.ecCtrl(this.platform.ec, EcOp.RECALL, this.ecSel);
    return s === Status.SUCCESS ? undefined : `ec_ctrl(RECALL) failed: ${STATUS_NAMES[s]}`;
  }

  /* the pager replies to the recall exception */
  resume(): string | undefined {
    if (this.ecSel === undefined) return 'it is not started';
    const s = this.platform.hv.recallReply(this.platform.ec, this.ecSel);
    return s === Status.SUCCESS ? undefined : `resuming from the recall failed: ${STATUS_NAMES[s]}`;
  }

  state(): PlatformThreadState | undefined {
    const e = this.kernelEc();
    if (!e || !e.alive) return undefined;
    return { paused: e.hold.paused, held: e.hold.holding, ip: this.ip, sp: this.sp };
  }

  destroy(): void {
    const { hv, ec, selectors } = this.platform;
    for (const sel of [this.scSel, this.ecSel]) {
      if (sel === undefined) continue;
      hv.revoke(ec, objCrd(sel), true);
      selectors.free(sel);
    }
    this.scSel = this.ecSel = undefined;
  }
}

export class NovaCorePlatform implements CorePlatform {
  readonly kernel = 'nova';
  readonly selectors = new Selectors();
  readonly ramBase: number;
  readonly ramSize: number;
  /** Core's selectors above the fixed ones. */
  readonly maxCaps = SELECTOR_SPACE - Sel.WINDOW_END;
  private nextCoreUtcb = CORE_UTCB_BASE;

  /** Core's own system-call gate (the library code core shares with components uses it). */
  readonly sys: NovaSyscalls;
  private readonly ecRef: (ec: Ec) => EcRef;
  private faultHandler: ((pd: PlatformPd, reason: string) => void) | undefined;

  constructor(readonly hv: Hypervisor, readonly ec: Ec, ramBytes: number) {
    this.ramBase = hv.ramBase;
    this.ramSize = ramBytes - hv.ramBase;
    const { gate, ref } = coreGate(hv);
    this.sys = gate;
    this.ecRef = ref;
  }

  private caller: NovaCaller | undefined;

  /** Core's main EC calls components (it has nothing else to do once core is up). */
  coreCaller(): NovaCaller {
    if (!this.caller) {
      const view = this.hv.memoryView(this.ec, CORE_MAIN_UTCB, PAGE_SIZE)!;
      const utcb = new Uint32Array(view.buffer, view.byteOffset, PAGE_SIZE / 4);
      this.caller = new NovaCaller(this.sys, new NovaIpcThread(this.sys, this.ecRef(this.ec), this.selectors, utcb));
    }
    return this.caller;
  }

  preload(binaries: readonly { name: string; url: string }[]): Promise<string[]> {
    return preload(this.hv, binaries);
  }

  onFault(handler: (pd: PlatformPd, reason: string) => void): void {
    this.faultHandler = handler;
  }

  reportFault(pd: PlatformPd, reason: string): void {
    if (this.faultHandler) this.faultHandler(pd, reason);
    else this.hv.console(`[${pd.label}] Error: ${reason}`);
  }

  private readonly freeCoreUtcbs: number[] = [];

  /** A UTCB address in core's space below the RAM it identity-maps; undefined when none is left. */
  private coreUtcb(): number | undefined {
    const spare = this.freeCoreUtcbs.pop();
    if (spare !== undefined) return spare;
    if (this.nextCoreUtcb + PAGE_SIZE > this.ramBase) return undefined;
    const at = this.nextCoreUtcb;
    this.nextCoreUtcb += PAGE_SIZE;
    return at;
  }

  /* ------------------------------------------------------------------ the pager */

  private pager: Pager | undefined;
  private readonly pagedPds = new Map<number, NovaPd>();

  setPager(pager: Pager): void {
    this.pager = pager;
    this.hv.installCode(this.ec, undefined, CORE_PAGER_IP, (pdSel, self) => this.pageFault(pdSel, self));
    this.hv.installCode(this.ec, undefined, CORE_STARTUP_IP, (pdSel, self) => this.startup(pdSel, self));
  }

  /**
   * Core's pager for a PD, made before its first thread runs: a local EC of core and a
   * portal to it (id: the PD's selector) at the PD's page-fault selector. Genode's core has
   * one pager EC per thread; one per PD here (a fault waiting for a fault handler holds up
   * the PD's other faulting threads). Returns why it could not be made.
   */
  createPager(pd: NovaPd): string | undefined {
    if (pd.pager) return undefined;
    const { hv, ec, selectors } = this;
    const utcb = this.coreUtcb();
    if (utcb === undefined) return `core has no UTCB address left for the pager of "${pd.label}"`;
    const pager = { ec: selectors.alloc(), pt: selectors.alloc(), startPt: selectors.alloc(), utcb };
    let s = hv.createEc(ec, pager.ec, Sel.PD_SELF, `core:pager:${pd.label}`, utcb, false, CORE_PAGER_IP, 0);
    for (const [pt, ip, sel, mtd] of [[pager.pt, CORE_PAGER_IP, Sel.PT_PAGE_FAULT, Mtd.QUAL | Mtd.EIP], [pager.startPt, CORE_STARTUP_IP, Sel.PT_STARTUP, Mtd.EIP | Mtd.ESP]] as const) {
      if (s === Status.SUCCESS) s = hv.createPt(ec, pt, Sel.PD_SELF, pager.ec, mtd, ip);
      if (s === Status.SUCCESS) s = hv.ptCtrl(ec, pt, pd.sel);
      if (s === Status.SUCCESS) s = hv.delegate(ec, Sel.PD_SELF, pd.sel, objCrd(pt, 0, PtRights.CALL), sel);
    }
    pd.pager = pager;
    this.pagedPds.set(pd.sel, pd);
    if (s === Status.SUCCESS) return undefined;
    this.destroyPager(pd);
    return `creating the pager failed: ${STATUS_NAMES[s]}${s === Status.PD_OOM ? ` (the kernel's ${hv.kernelMemoryBytes / 1024} KiB of kernel memory are used up)` : ''}`;
  }

  destroyPager(pd: NovaPd): void {
    const p = pd.pager;
    if (!p) return;
    pd.pager = undefined;
    this.pagedPds.delete(pd.sel);
    for (const sel of [p.pt, p.startPt, p.ec]) {
      this.hv.revoke(this.ec, objCrd(sel), true);
      this.selectors.free(sel);
    }
    this.freeCoreUtcbs.push(p.utcb);
    pd.starts.clear();
  }

  /**
   * Whether the pager EC serves an exception the kernel raised, not a call of a component
   * that named its own exception portal (answered with an empty reply: nothing happens).
   */
  private isException(self: Ec): boolean {
    if (self.caller?.exception) return true;
    self.utcb[UtcbHeader.ITEMS] = 0;
    this.hv.reply(self);
    return false;
  }

  /**
   * The startup exception of a global EC of PD `pdSel` (Genode's Pager_object::
   * _startup_handler): replies with MTD EIP | ESP, the IP core's thread start recorded for
   * the EC's initial SP, so the kernel starts the EC there.
   */
  private startup(pdSel: number, self: Ec): void {
    const pd = this.pagedPds.get(pdSel);
    if (!pd || !this.isException(self)) return;
    const u = self.utcb;
    const sp = u[UTCB_HEADER_WORDS + 2]!;
    const ip = pd.starts.get(sp);
    if (ip === undefined) {
      this.reportFault(pd, `startup exception of an EC core did not start (sp 0x${sp.toString(16)})`);
      return;
    }
    pd.starts.delete(sp);
    u[UtcbHeader.ITEMS] = 3;
    u[UTCB_HEADER_WORDS] = Mtd.EIP | Mtd.ESP;
    u[UTCB_HEADER_WORDS + 1] = ip;
    u[UTCB_HEADER_WORDS + 2] = sp;
    this.hv.reply(self);
  }

  /**
   * The page-fault exception of an EC of PD `pdSel`, in the pager EC `self`: asks core's
   * pager and replies with the flexpage as a memory item (hotspot: the fault's page), so
   * the kernel maps it and the EC runs again. A fault handed to a fault handler keeps the
   * reply back until an attach or detach lets the pager try again; an unresolvable fault
   * is reported as the PD's, and the EC stays blocked until core stops the PD.
   */
  private async pageFault(pdSel: number, self: Ec): Promise<void> {
    const pd = this.pagedPds.get(pdSel);
    if (!this.isException(self)) return;
    const u = self.utcb;
    const err = u[UTCB_HEADER_WORDS]!;
    const addr = u[UTCB_HEADER_WORDS + 1]!;
    if (!pd || !this.pager) return;
    const access = err & PfError.FETCH ? 'exec' : err & PfError.WRITE ? 'write' : 'read';
    const thread = self.caller?.ec.name.split(':').pop() ?? '?';
    for (;;) {
      const a = this.pager(pd, { addr, access, thread });
      if (a.kind === 'wait') {
        await a.retry;
        if (pd.pager === undefined) return;
        continue;
      }
      if (a.kind === 'fail') {
        this.reportFault(pd, a.reason);
        return;
      }
      const rights = MemRights.R | (a.writeable ? MemRights.W : 0) | (a.executable ? MemRights.X : 0);
      u[UtcbHeader.ITEMS] = 1 << 16;
      u[UTCB_WORDS - 2] = encodeCrd(memCrd(Math.floor(a.phys / PAGE_SIZE), Math.log2(a.size / PAGE_SIZE), rights));
      u[UTCB_WORDS - 1] = a.vaddr;
      this.hv.reply(self);
      return;
    }
  }

  createEntrypoint(handler: (key: number | string, msg: MsgBuffer, done?: () => void) => Promise<void> | undefined): RpcCapFactory {
    const { hv, ec, selectors } = this;
    const epSel = selectors.alloc();
    const utcb = this.coreUtcb();
    if (utcb === undefined || hv.createEc(ec, epSel, Sel.PD_SELF, 'core:ep', utcb, false, CORE_ACTIVATION_IP, 0) !== Status.SUCCESS) {
      throw new Error('core: cannot create its entrypoint');
    }
    const view = hv.memoryView(ec, utcb, PAGE_SIZE)!;
    const thread = new NovaIpcThread(this.sys, this.ecRef(ec), selectors, new Uint32Array(view.buffer, view.byteOffset, PAGE_SIZE / 4));
    let self: Ec | undefined;
    const done = () => {
      thread.prepareReply();
      hv.reply(self!);
    };
    hv.installCode(ec, undefined, CORE_ACTIVATION_IP, (id, ec) => {
      self = ec;
      thread.afterReceive();
      handler(id, thread.msg, done);
    });
    return {
      alloc: async () => {
        const sel = selectors.alloc();
        hv.createPt(ec, sel, Sel.PD_SELF, epSel, 0, CORE_ACTIVATION_IP);
        hv.ptCtrl(ec, sel, sel);
        return { cap: new Capability(new NovaCapability(sel)), key: sel };
      },
      free: async (cap) => this.revokeOwn(cap),
      /* what arrived at core names core's own objects: only the arrival's count goes */
      release: (cap) => {
        const sel = selOf(cap);
        if (sel !== undefined && selectors.drop(sel)) hv.revoke(ec, objCrd(sel), true);
      },
    };
  }

  private revokeOwn(cap: Capability<unknown>): void {
    const sel = selOf(cap);
    if (sel === undefined) return;
    this.hv.revoke(this.ec, objCrd(sel), true);
    this.selectors.free(sel);
  }

  createPd(label: string): PlatformPd {
    const sel = this.selectors.alloc();
    if (this.hv.createPd(this.ec, sel, label) !== Status.SUCCESS) throw new Error(`core: cannot create PD "${label}"`);
    return new NovaPd(this, label, sel);
  }

  createThread(pd: PlatformPd, name: string, kind: ThreadKindCode, priority = 0): PlatformThread {
    return new NovaThread(this, pd as NovaPd, name, kind, kernelPriority(priority, PRIO_DEFAULT, PRIO_LEVELS));
  }

  allocRpcCap(pd: PlatformPd, ep: PlatformThread): Capability<unknown> | undefined {
    const t = ep as NovaThread;
    if (t.kind !== ThreadKindCode.ENTRYPOINT || t.ecSel === undefined) return undefined;
    const sel = this.selectors.alloc();
    if (this.hv.createPt(this.ec, sel, (pd as NovaPd).sel, t.ecSel, 0, t.ip) !== Status.SUCCESS) {
      this.selectors.free(sel);
      return undefined;
    }
    return new Capability(new NovaCapability(sel));
  }

  freeRpcCap(cap: Capability<unknown>): void {
    this.revokeOwn(cap);
  }

  /* core created the portal and holds it with PT_CTRL; the component only ever gets PT_CALL */
  imprintRpcCap(cap: Capability<unknown>, badge: number): boolean {
    const sel = selOf(cap);
    return sel !== undefined && this.hv.ptCtrl(this.ec, sel, badge) === Status.SUCCESS;
  }

  allocSignalSource(pd: PlatformPd): Capability<unknown> | undefined {
    const sel = this.selectors.alloc();
    if (this.hv.createSm(this.ec, sel, (pd as NovaPd).sel, 0) !== Status.SUCCESS) {
      this.selectors.free(sel);
      return undefined;
    }
    return new Capability(new NovaCapability(sel));
  }

  allocSignalContext(source: Capability<unknown>, imprint: number): Capability<unknown> | undefined {
    const smSel = selOf(source);
    if (smSel === undefined) return undefined;
    const sel = this.selectors.alloc();
    if (this.hv.createSi(this.ec, sel, Sel.PD_SELF, imprint, smSel) !== Status.SUCCESS) {
      this.selectors.free(sel);
      return undefined;
    }
    return new Capability(new NovaCapability(sel));
  }

  freeSignalContext(ctx: Capability<unknown>): void {
    this.revokeOwn(ctx);
  }

  submitSignal(ctx: Capability<unknown>, count: number): void {
    const sel = selOf(ctx);
    if (sel === undefined) return;
    for (let i = 0; i < count; i++) this.hv.smCtrl(this.ec, sel, SmOp.UP);
  }

  physView(phys: number, size: number): Uint8Array {
    const v = this.hv.memoryView(this.ec, phys, size);
    if (!v) throw new Error(`core: physical range 0x${phys.toString(16)}+${size} is not accessible`);
    return v;
  }

  allocRam(phys: number, size: number): Uint8Array {
    this.hv.machine.memory.back(phys, size);
    return this.physView(phys, size);
  }

  revokePhys(phys: number, size: number): void {
    for (const f of flexpages(Math.floor(phys / PAGE_SIZE), Math.ceil(size / PAGE_SIZE), Math.floor(phys / PAGE_SIZE))) {
      this.hv.revoke(this.ec, memCrd(f.page, f.order), false);
    }
    /* the range is about to be freed and may come back with another size */
    this.hv.machine.memory.drop(phys, size);
  }

  readonly ioPorts = {
    read: (port: number, width: 1 | 2 | 4): number => this.hv.ioIn(this.ec, port, width) ?? 0xffffffff,
    write: (port: number, width: 1 | 2 | 4, value: number): void => {
      this.hv.ioOut(this.ec, port, width, value);
    },
  };

  isDeviceMemory(phys: number, size: number): boolean {
    return phys >= this.hv.machine.memory.size && (this.hv.machine.mmio(phys, size) !== undefined || this.hv.machine.mmioRegisters?.(phys, size) === true);
  }

  /** The GSI semaphores core took for IRQ sessions, by line. */
  private readonly irqSms = new Map<number, number>();

  /*
   * Genode's IRQ path on NOVA: core takes the GSI semaphore and assigns the GSI to it with
   * the IRQ session's signal context (an SI core made), so the kernel submits the signal
   * itself; the session's ack is sm_ctrl(DOWN) on the GSI semaphore, which unmasks it.
   */
  readonly irqSignals = {
    take: (irq: number): boolean => {
      const { hv, ec, selectors } = this;
      if (irq < 0 || irq > 15 || irq === 2 || this.irqSms.has(irq)) return false;
      const sm = selectors.alloc();
      if (hv.createSm(ec, sm, Sel.PD_SELF, 0) !== Status.SUCCESS || hv.assignGsi(ec, sm, irq, 0) !== Status.SUCCESS) {
        hv.revoke(ec, objCrd(sm), true);
        selectors.free(sm);
        return false;
      }
      this.irqSms.set(irq, sm);
      return true;
    },
    sigh: (irq: number, ctx: Capability<unknown> | undefined): boolean => {
      const sm = this.irqSms.get(irq);
      const si = ctx ? selOf(ctx) : 0;
      return sm !== undefined && si !== undefined && this.hv.assignGsi(this.ec, sm, irq, si) === Status.SUCCESS;
    },
    ack: (irq: number): void => {
      const sm = this.irqSms.get(irq);
      if (sm !== undefined) void this.hv.smCtrl(this.ec, sm, SmOp.DOWN);
    },
    release: (irq: number): void => {
      const sm = this.irqSms.get(irq);
      if (sm === undefined) return;
      this.hv.assignGsi(this.ec, sm, irq, 0);
      this.irqSms.delete(irq);
      this.hv.revoke(this.ec, objCrd(sm), true);
      this.selectors.free(sm);
    },
  };

  nowUs(): number {
    return (this.hv.tsc() / this.hv.machine.clock.tscHz) * 1e6;
  }
}
