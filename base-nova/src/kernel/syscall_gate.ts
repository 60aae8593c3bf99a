/*
 * The system-call gate of a user PD: everything a component's code can do to the kernel.
 *
 * On real NOVA a user thread enters the kernel with a syscall instruction, and the kernel
 * knows the caller from the CPU it came in on. Here the gate is a frozen object of closures
 * over the hypervisor and the PD, handed to the component's start-up code: its ECs appear
 * as opaque references (frozen empty objects the gate maps back to its own ECs), every
 * argument is checked for its type before the kernel sees it, every result is a number, a
 * status, a string or a view of memory mapped into the PD, and every callback into user
 * code runs guarded, so a throw in it ends the PD, not the kernel or the caller.
 */
import { infoPageHz } from '../../../base/src/util/clock_ratio.js';
import type { UserDomain } from '../../../base/src/loader/user_domain.js';
import { MAX_TEXT, clip } from '../../../base/src/loader/user_domain.js';
import { BadArgument, accessArg, callback, int, opaqueRefs, text as textArg, word } from '../../../base/src/loader/gate_args.js';
import { CrdType, SmOp, Status, type Crd } from './abi.js';
import type { Hypervisor, SignalInfo } from './hypervisor.js';
import type { Ec, Pd } from './objects.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';

/** An EC as its own PD's code names it: opaque. */
export interface EcRef {
  readonly __ecRef: unique symbol;
}

/** What the component side of the NOVA backend calls (base-nova/src/lib). */
export interface NovaSyscalls {
  /** The PD's name (the label its parent gave it). */
  readonly label: string;
  call(ec: EcRef, ptSel: number, resume: (status: Status) => void): void;
  reply(ec: EcRef): Status;
  ptCtrl(ec: EcRef, sel: number, id: number): Status;
  semUp(ec: EcRef, sel: number): Status;
  /**
   * sm_ctrl DOWN: blocks until the semaphore is up (SUCCESS) or the TSC reaches `deadline`
   * (TIMEOUT); a deadline of 0 waits without one, as NOVA's.
   */
  semDown(ec: EcRef, sel: number, deadline: number): Promise<Status>;
  /** rdtsc: the CPU's time-stamp counter, which user code reads without the kernel on x86. */
  rdtsc(): number;
  /** The TSC's frequency, as the hypervisor information page gives it. */
  readonly tscHz: number;
  waitSignal(ec: EcRef, smSel: number): Promise<SignalInfo>;
  revoke(ec: EcRef, crd: Crd, self: boolean): Status;
  kindOf(ec: EcRef, sel: number): string | undefined;
  /** ec_ctrl: RECALL an EC this PD holds with EC_RECALL; YIELD, RESCHEDULE (see Hypervisor.ecCtrl). */
  ecCtrl(ec: EcRef, op: number, sel: number): Status;
  /** sc_ctrl: the consumed time (microseconds) of an SC this PD holds. */
  scCtrl(ec: EcRef, sel: number): { status: Status; time: number };
  /** pd_ctrl_debug: what a PD this PD holds has in the kernel. */
  pdCtrlDebug(ec: EcRef, sel: number): { status: Status; objects: number; ecs: number; kernelPages: number; mappedPages: number };
  memoryView(ec: EcRef, vaddr: number, size: number): Uint8Array | undefined;
  /** Bytes from `vaddr` the EC can access as `access` without a page fault. */
  memoryAccessible(ec: EcRef, vaddr: number, access: MemoryAccess): number;
  /**
   * A register access (load, or store of `value`) of `width` bytes at `vaddr`, which the PD
   * mapped onto register-decoded device memory: the value read, 0 for a store, or an
   * MmioError (base/src/machine.ts).
   */
  mmio(ec: EcRef, vaddr: number, width: number, write: boolean, value: number): number;
  /** Touches `vaddr` as `access`: a page fault through the PD's exception portal (Hypervisor.pageFault). */
  pageFault(ec: EcRef, vaddr: number, access: MemoryAccess, resume: (status: Status) => void): void;
  installCode(ec: EcRef, ip: number, fn: (id: number, self: EcRef) => void): Status;
  console(text: string): void;
}

declare const harden: <T>(x: T) => T;

/*
 * A result record of numbers for user code. Freezing it is hardening it (its prototype is
 * the locked-down Object.prototype), at about 1/30 of harden's cost: a signal's path pays it.
 */
function frozen<T extends Record<string, number>>(record: T): Readonly<T> {
  return Object.freeze(record);
}

/**
 * The gate of `pd`, whose user code is accounted in `domain`, and the kernel-side function
 * that names one of its ECs to user code (for the start-up code's first EC).
 */
export function syscallGate(hv: Hypervisor, pd: Pd, domain: UserDomain): { gate: NovaSyscalls; ref: (ec: Ec) => EcRef } {
  const { ref, deref: ecOf } = opaqueRefs<Ec, EcRef>((ec) => ec.pd === pd, 'an EC of this PD');
  const crdOf = (c: unknown): Crd => {
    if (typeof c !== 'object' || c === null) throw new BadArgument('system call: a CRD must be an object');
    const { type, base, order, rights } = c as Record<string, unknown>;
    if (type !== CrdType.OBJ && type !== CrdType.MEM && type !== CrdType.IO && type !== CrdType.NULL) {
      throw new BadArgument('system call: bad CRD type');
    }
    return { type, base: word(base, 'CRD base'), order: word(order, 'CRD order'), rights: word(rights, 'CRD rights') };
  };

  /*
   * The continuations of system calls that must wait for their user work, made here: a
   * closure in the system call itself would make V8 allocate its variables on every call.
   */
  const callLater = (self: Ec, ticks: number, sel: number, resume: (s: Status) => void): void =>
    hv.queueUserWork(self, ticks, () => hv.call(self, sel, resume));
  const replyLater = (self: Ec, ticks: number): Status => {
    let status = Status.SUCCESS;
    hv.queueUserWork(self, ticks, () => {
      status = hv.reply(self);
    });
    return status;
  };

  const gate: NovaSyscalls = harden({
    label: pd.name,
    call(ec: EcRef, ptSel: number, resume: (status: Status) => void): void {
      const ticks = domain.enterPreemptible();
      const self = ecOf(ec);
      const sel = word(ptSel, 'portal selector');
      const resume1 = domain.resumer(callback<(s: Status) => void>(resume, 'resume'));
      if (hv.chargeUserWorkNow(self, ticks)) hv.call(self, sel, resume1);
      else callLater(self, ticks, sel, resume1);
    },
    reply(ec: EcRef): Status {
      const ticks = domain.enterPreemptible();
      const self = ecOf(ec);
      /* the work for the call runs on the caller's scheduling context, or on a helper's */
      if (hv.chargeUserWorkNow(self, ticks)) return hv.reply(self);
      return replyLater(self, ticks);
    },
    ptCtrl(ec: EcRef, sel: number, id: number): Status {
      domain.enter();
      return hv.ptCtrl(ecOf(ec), word(sel, 'selector'), word(id, 'portal id'));
    },
    semUp(ec: EcRef, sel: number): Status {
      domain.enter();
      return hv.smCtrl(ecOf(ec), word(sel, 'selector'), SmOp.UP) as Status;
    },
    semDown(ec: EcRef, sel: number, deadline: number): Promise<Status> {
      const ticks = domain.enterPreemptible();
      const self = ecOf(ec);
      const smSel = word(sel, 'selector');
      if (typeof deadline !== 'number' || !Number.isSafeInteger(deadline) || deadline < 0) {
        throw new BadArgument('system call: a deadline must be a TSC value (0: none)');
      }
      return new Promise<Status>((resolve) => hv.afterUserWork(self, ticks, () => {
        void Promise.resolve(hv.smCtrl(self, smSel, SmOp.DOWN, deadline === 0 ? undefined : deadline)).then(resolve);
      }));
    },
    rdtsc(): number {
      domain.enter();
      return hv.tsc();
    },
    tscHz: infoPageHz(hv.machine.clock.tscHz),
    waitSignal(ec: EcRef, smSel: number): Promise<SignalInfo> {
      const ticks = domain.enterPreemptible();
      const self = ecOf(ec);
      const sel = word(smSel, 'selector');
      return new Promise<SignalInfo>((resolve) => hv.afterUserWork(self, ticks, () => {
        void hv.waitSignal(self, sel).then((s) => resolve(frozen({ status: s.status, imprint: s.imprint, count: s.count })));
      }));
    },
    revoke(ec: EcRef, crd: Crd, self: boolean): Status {
      domain.enter();
      return hv.revoke(ecOf(ec), crdOf(crd), self === true);
    },
    kindOf(ec: EcRef, sel: number): string | undefined {
      domain.enter();
      return hv.kindOf(ecOf(ec), word(sel, 'selector'));
    },
    ecCtrl(ec: EcRef, op: number, sel: number): Status {
      domain.enter();
      return hv.ecCtrl(ecOf(ec), word(op, 'ec_ctrl operation'), word(sel, 'selector'));
    },
    scCtrl(ec: EcRef, sel: number): { status: Status; time: number } {
      domain.enter();
      const r = hv.scCtrl(ecOf(ec), word(sel, 'selector'));
      return frozen({ status: r.status, time: r.time });
    },
    pdCtrlDebug(ec: EcRef, sel: number) {
      domain.enter();
      const r = hv.pdCtrlDebug(ecOf(ec), word(sel, 'selector'));
      return frozen({ status: r.status, objects: r.objects, ecs: r.ecs, kernelPages: r.kernelPages, mappedPages: r.mappedPages });
    },
    memoryView(ec: EcRef, vaddr: number, size: number): Uint8Array | undefined {
      domain.enter();
      return hv.memoryView(ecOf(ec), word(vaddr, 'address'), word(size, 'size'));
    },
    memoryAccessible(ec: EcRef, vaddr: number, access: MemoryAccess): number {
      domain.enter();
      return hv.memoryAccessible(ecOf(ec), word(vaddr, 'address'), accessArg(access));
    },
    mmio(ec: EcRef, vaddr: number, width: number, write: boolean, value: number): number {
      domain.enter();
      return hv.mmio(ecOf(ec), word(vaddr, 'address'), int(width, 'width'), write === true, write === true ? int(value, 'value') : 0);
    },
    pageFault(ec: EcRef, vaddr: number, access: MemoryAccess, resume: (status: Status) => void): void {
      const ticks = domain.enterPreemptible();
      const self = ecOf(ec);
      const addr = word(vaddr, 'address');
      const kind = accessArg(access);
      const resume1 = domain.resumer(callback<(s: Status) => void>(resume, 'resume'));
      if (hv.chargeUserWorkNow(self, ticks)) hv.pageFault(self, addr, kind, resume1);
      else hv.queueUserWork(self, ticks, () => hv.pageFault(self, addr, kind, resume1));
    },
    installCode(ec: EcRef, ip: number, fn: (id: number, self: EcRef) => void): Status {
      domain.enter();
      const entry = callback<(id: number, self: EcRef) => void>(fn, 'entry');
      return hv.installCode(ecOf(ec), undefined, word(ip, 'IP'), (id, callee) => domain.upcall2(entry, id, ref(callee)));
    },
    console(text: string): void {
      domain.enter();
      hv.console(`[${pd.name}] ${clip(textArg(text, 'console text'), MAX_TEXT)}`);
    },
  });
  return { gate, ref };
}
