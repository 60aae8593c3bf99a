/*
 * Core's platform on NOVA: core runs in the root PD and creates every kernel object
 * through system calls: PDs, ECs and SCs for threads, portals for RPC objects, semaphores
 * for signals. Memory reaches a component by delegating core's identity-mapped pages.
 */
import { Capability } from '../../../base/src/capability.js';
import type { RpcCapFactory } from '../../../base/src/lib/entrypoint.js';
import { utcbOfStack } from '../../../base/src/lib/stack_area.js';
import type { CorePlatform, LoadedBinary, PlatformPd, PlatformThread, PlatformThreadState } from '../../../base/src/core/platform.js';
import { ThreadKindCode, kernelPriority } from '../../../base/src/core/platform.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { EcOp, MemRights, PAGE_SHIFT, PAGE_SIZE, PtRights, STATUS_NAMES, Sel, SmOp, Status, memCrd, objCrd, ioCrd } from '../kernel/abi.js';
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
/** Interrupt threads run before everything else, as on NOVA. */
const PRIO_IRQ = 100;
const CORE_IRQ_IP = 0x2000;

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
  constructor(private readonly platform: NovaCorePlatform, readonly label: string, readonly sel: number) {}

  map(vaddr: number, phys: number, size: number, writeable: boolean): boolean {
    const hv = this.platform.hv;
    const rights = writeable ? MemRights.RWX : MemRights.R | MemRights.X;
    for (const f of flexpages(Math.floor(phys / PAGE_SIZE), Math.ceil(size / PAGE_SIZE), vaddr >> PAGE_SHIFT)) {
      const st = hv.delegate(this.platform.ec, Sel.PD_SELF, this.sel, memCrd(f.page, f.order, rights), f.other);
      if (st !== Status.SUCCESS) {
        this.unmap(vaddr, size);
        return false;
      }
    }
    return true;
  }

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
    let s: Status;
    if (binary && (s = hv.installCode(ec, this.pd.sel, ip, programEntry(hv, this.pd.label, binary, sp, fault))) !== Status.SUCCESS) return failed('loading the binary', s);
    const global = this.kind === ThreadKindCode.GLOBAL;
    const ecSel = selectors.alloc();
    if ((s = hv.createEc(ec, ecSel, this.pd.sel, `${this.pd.label}:${this.name}`, utcb, global, ip, 0)) !== Status.SUCCESS) {
      selectors.free(ecSel);
      return failed('create_ec', s);
    }
    this.ecSel = ecSel;
    this.ip = ip;
    this.sp = sp;
    if (global) {
      this.scSel = selectors.alloc();
      if ((s = hv.createSc(ec, this.scSel, this.pd.sel, ecSel, this.prio)) !== Status.SUCCESS) return failed('create_sc', s);
    }
    return undefined;
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

  private coreUtcb(): number {
    const at = this.nextCoreUtcb;
    this.nextCoreUtcb += PAGE_SIZE;
    return at;
  }

  createEntrypoint(handler: (key: number | string, msg: MsgBuffer, done?: () => void) => Promise<void> | undefined): RpcCapFactory {
    const { hv, ec, selectors } = this;
    const epSel = selectors.alloc();
    const utcb = this.coreUtcb();
    if (hv.createEc(ec, epSel, Sel.PD_SELF, 'core:ep', utcb, false, CORE_ACTIVATION_IP, 0) !== Status.SUCCESS) {
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
    return phys >= this.hv.machine.memory.size && this.hv.machine.mmio(phys, size) !== undefined;
  }

  private readonly irqThreads = new Map<number, { sm: number; ec: number; sc: number; live: boolean }>();

  /** An interrupt semaphore and a core thread that waits on it and calls `handler`. */
  attachIrq(irq: number, handler: () => void): boolean {
    const { hv, ec, selectors } = this;
    if (irq < 0 || irq > 15 || irq === 2 || this.irqThreads.has(irq)) return false;
    const t = { sm: selectors.alloc(), ec: selectors.alloc(), sc: selectors.alloc(), live: true };
    const ip = CORE_IRQ_IP + irq;
    if (hv.createSm(ec, t.sm, Sel.PD_SELF, 0) !== Status.SUCCESS) return false;
    hv.installCode(ec, undefined, ip, async (_arg, self) => {
      while (t.live) {
        const st = await hv.smCtrl(self, t.sm, SmOp.DOWN);
        if (st !== Status.SUCCESS || !t.live) return;
        handler();
      }
    });
    if (hv.createEc(ec, t.ec, Sel.PD_SELF, `core:irq${irq}`, this.coreUtcb(), true, ip, 0) !== Status.SUCCESS) return false;
    if (hv.createSc(ec, t.sc, Sel.PD_SELF, t.ec, PRIO_IRQ) !== Status.SUCCESS) return false;
    if (hv.assignGsi(ec, t.sm, irq) !== Status.SUCCESS) return false;
    this.irqThreads.set(irq, t);
    return true;
  }

  detachIrq(irq: number): void {
    const t = this.irqThreads.get(irq);
    if (!t) return;
    t.live = false;
    this.irqThreads.delete(irq);
    for (const sel of [t.sc, t.ec, t.sm]) {
      this.hv.revoke(this.ec, objCrd(sel), true);
      this.selectors.free(sel);
    }
  }

  nowUs(): number {
    return (this.hv.tsc() / this.hv.machine.clock.tscHz) * 1e6;
  }
}
