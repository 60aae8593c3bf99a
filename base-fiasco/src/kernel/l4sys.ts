/*
 * The user-level system-call bindings, named and laid out as L4Re's l4sys: each function
 * writes its arguments into the calling thread's UTCB (message registers, buffer
 * registers) and invokes a capability with l4_ipc. Operations on kernel objects complete
 * at once and return their reply tag; IPC that may block returns through a continuation.
 * Every function takes the system-call gate and the calling thread first (the CPU state
 * that real code carries implicitly): core passes the kernel itself, a component its
 * PD's gate (syscall_gate.ts), whose threads are opaque references.
 */
import {
  L4_FP_DELETE_OBJ, L4_ICU_OP_BIND, L4_ICU_OP_UNBIND, L4_INVALID_CAP, L4_IPC_GATE_GET_INFO_OP, L4_IPC_ERROR_MASK,
  L4_IRQ_OP_EOI, L4_IRQ_SENDER_OP_DETACH, L4_PROTO_FACTORY, L4_PROTO_IRQ, L4_PROTO_IRQ_SENDER, L4_PROTO_KOBJECT,
  L4_PROTO_SCHEDULER, L4_PROTO_TASK, L4_PROTO_THREAD, L4_RCV_EP_BIND_OP, L4_RCV_ITEM_SINGLE_CAP,
  L4_SCHEDULER_RUN_THREAD_OP, L4_SYSF_CALL, L4_SYSF_RECV, L4_SYSF_REPLY, L4_SYSF_REPLY_AND_WAIT, L4_SYSF_SEND,
  L4_SYSF_SEND_AND_WAIT, L4_SYSF_WAIT, L4_TASK_CAP_INFO_OP, L4_TASK_MAP_OP, L4_TASK_UNMAP_OP, L4_THREAD_CONTROL_BIND_TASK,
  L4_THREAD_CONTROL_MR_IDX_BIND_TASK, L4_THREAD_CONTROL_MR_IDX_BIND_UTCB, L4_THREAD_CONTROL_OP,
  L4_THREAD_CONTROL_SET_PAGER, L4_THREAD_EX_REGS_OP, L4_VARG_TYPE_FPAGE, L4_VARG_TYPE_UMWORD, L4_ITEM_MAP, UTCB_BDR,
  UTCB_BR, UTCB_TCR_ERRORCODE, isInvalidCap,
} from './consts.js';
import { L4_CAP_FPAGE_RWS, L4_CAP_FPAGE_RWSD, l4_map_obj_control, l4_obj_fpage } from './fpage.js';
import type { L4Sys } from './syscall_gate.js';
import { L4_MSGTAG_ERROR, l4_msgtag, l4_msgtag_has_error } from './msgtag.js';
import type { Resume, Thread } from './thread.js';
import { L4_IPC_BOTH_TIMEOUT_0, L4_IPC_NEVER, L4_IPC_SEND_TIMEOUT_0 } from './timeout.js';

export type { Resume };

const DEAD_TAG = l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);

function mr(k: L4Sys, t: Thread): Uint32Array {
  return k.utcbOf(t);
}

/** Invokes a kernel object and returns its reply (kernel objects never block). */
function invokeObject(k: L4Sys, t: Thread, cap: number, tag: number): number {
  let reply = DEAD_TAG;
  k.ipc(t, cap, L4_SYSF_CALL, tag, L4_IPC_NEVER, (r) => (reply = r));
  return reply;
}

/* ================================================================ IPC */

/** The IPC error code of a result tag (0 if none). */
export function l4_ipc_error(tag: number, utcb: Uint32Array): number {
  return l4_msgtag_has_error(tag) ? utcb[UTCB_TCR_ERRORCODE]! & L4_IPC_ERROR_MASK : 0;
}

export function l4_ipc_call(k: L4Sys, t: Thread, dest: number, tag: number, timeout: number, resume: Resume): void {
  k.ipcBlocking(t, dest, L4_SYSF_CALL, tag, timeout, resume);
}

export function l4_ipc_send(k: L4Sys, t: Thread, dest: number, tag: number, timeout: number, resume: Resume): void {
  k.ipcBlocking(t, dest, L4_SYSF_SEND, tag, timeout, resume);
}

export function l4_ipc_wait(k: L4Sys, t: Thread, timeout: number, resume: Resume): void {
  k.ipcBlocking(t, L4_INVALID_CAP, L4_SYSF_WAIT, 0, timeout, resume);
}

export function l4_ipc_receive(k: L4Sys, t: Thread, src: number, timeout: number, resume: Resume): void {
  k.ipcBlocking(t, src, L4_SYSF_RECV, 0, timeout, resume);
}

export function l4_ipc_reply_and_wait(k: L4Sys, t: Thread, tag: number, timeout: number, resume: Resume): void {
  k.ipcBlocking(t, L4_INVALID_CAP, L4_SYSF_REPLY_AND_WAIT, tag, timeout, resume);
}

export function l4_ipc_send_and_wait(k: L4Sys, t: Thread, dest: number, tag: number, timeout: number, resume: Resume): void {
  k.ipcBlocking(t, dest, L4_SYSF_SEND_AND_WAIT, tag, timeout, resume);
}

/** A reply without waiting (the reply capability is used up). */
export function l4_ipc_reply(k: L4Sys, t: Thread, tag: number): number {
  let result = DEAD_TAG;
  k.ipc(t, L4_INVALID_CAP, L4_SYSF_SEND | L4_SYSF_REPLY, tag, L4_IPC_SEND_TIMEOUT_0, (r) => (result = r));
  return result;
}

/* ================================================================ task */

export function l4_task_map(k: L4Sys, t: Thread, dstTask: number, srcTask: number, fpage: number, sndBase: number): number {
  const m = mr(k, t);
  m[0] = L4_TASK_MAP_OP;
  m[1] = sndBase;
  m[2] = fpage;
  m[3] = l4_map_obj_control(0, false);
  m[4] = l4_obj_fpage(srcTask, 0, L4_CAP_FPAGE_RWS);
  return invokeObject(k, t, dstTask, l4_msgtag(L4_PROTO_TASK, 3, 1, 0));
}

export function l4_task_unmap(k: L4Sys, t: Thread, task: number, fpage: number, mapMask: number): number {
  const m = mr(k, t);
  m[0] = L4_TASK_UNMAP_OP;
  m[1] = mapMask;
  m[2] = fpage;
  return invokeObject(k, t, task, l4_msgtag(L4_PROTO_TASK, 3, 0, 0));
}

/** Label 1 if `cap` names an object in `task`. */
export function l4_task_cap_valid(k: L4Sys, t: Thread, task: number, cap: number): number {
  const m = mr(k, t);
  m[0] = L4_TASK_CAP_INFO_OP;
  m[1] = cap & ~1;
  return invokeObject(k, t, task, l4_msgtag(L4_PROTO_TASK, 2, 0, 0));
}

/** Label 1 if `a` and `b` name the same object. */
export function l4_task_cap_equal(k: L4Sys, t: Thread, task: number, a: number, b: number): number {
  const m = mr(k, t);
  m[0] = L4_TASK_CAP_INFO_OP;
  m[1] = a;
  m[2] = b;
  return invokeObject(k, t, task, l4_msgtag(L4_PROTO_TASK, 3, 0, 0));
}

/** Deletes the object behind `obj` (needs the delete right): every capability to it disappears. */
export function l4_task_delete_obj(k: L4Sys, t: Thread, task: number, obj: number): number {
  return l4_task_unmap(k, t, task, l4_obj_fpage(obj, 0, L4_CAP_FPAGE_RWSD), L4_FP_DELETE_OBJ);
}

/* ================================================================ factory */

function createStart(k: L4Sys, t: Thread, kind: number, target: number): number {
  const m = mr(k, t);
  m[0] = kind >>> 0;
  m[UTCB_BDR] = 0;
  m[UTCB_BR] = (target | L4_RCV_ITEM_SINGLE_CAP) >>> 0;
  return 1;
}

function addVarg(k: L4Sys, t: Thread, words: number, type: number, value: number): number {
  const m = mr(k, t);
  m[words] = (type | (4 << 16)) >>> 0;
  m[words + 1] = value >>> 0;
  return words + 2;
}

export function l4_factory_create_task(k: L4Sys, t: Thread, factory: number, target: number, utcbArea: number): number {
  let w = createStart(k, t, L4_PROTO_TASK, target);
  w = addVarg(k, t, w, L4_VARG_TYPE_FPAGE, utcbArea);
  return invokeObject(k, t, factory, l4_msgtag(L4_PROTO_FACTORY, w, 0, 0));
}

export function l4_factory_create_thread(k: L4Sys, t: Thread, factory: number, target: number): number {
  const w = createStart(k, t, L4_PROTO_THREAD, target);
  return invokeObject(k, t, factory, l4_msgtag(L4_PROTO_FACTORY, w, 0, 0));
}

export function l4_factory_create_irq(k: L4Sys, t: Thread, factory: number, target: number): number {
  const w = createStart(k, t, L4_PROTO_IRQ_SENDER, target);
  return invokeObject(k, t, factory, l4_msgtag(L4_PROTO_FACTORY, w, 0, 0));
}

export function l4_factory_create_factory(k: L4Sys, t: Thread, factory: number, target: number, limit: number): number {
  let w = createStart(k, t, L4_PROTO_FACTORY, target);
  w = addVarg(k, t, w, L4_VARG_TYPE_UMWORD, limit);
  return invokeObject(k, t, factory, l4_msgtag(L4_PROTO_FACTORY, w, 0, 0));
}

/** An IPC gate with a kernel-protected `label`, bound to `thread` (if valid). */
export function l4_factory_create_gate(k: L4Sys, t: Thread, factory: number, target: number, thread: number, label: number): number {
  let w = createStart(k, t, 0, target);
  w = addVarg(k, t, w, L4_VARG_TYPE_UMWORD, label);
  let items = 0;
  if (!isInvalidCap(thread)) {
    const m = mr(k, t);
    m[w] = l4_map_obj_control(0, false);
    m[w + 1] = l4_obj_fpage(thread, 0, L4_CAP_FPAGE_RWS);
    items = 1;
  }
  return invokeObject(k, t, factory, l4_msgtag(L4_PROTO_FACTORY, w, items, 0));
}

/* ================================================================ thread and scheduler */

export interface ThreadControl {
  pager?: number;
  bind?: { utcb: number; task: number };
}

/** l4_thread_control_start / _pager / _bind / _commit in one. */
export function l4_thread_control(k: L4Sys, t: Thread, thread: number, ctl: ThreadControl): number {
  const m = mr(k, t);
  m.fill(0, 0, 8);
  let flags = L4_THREAD_CONTROL_OP;
  if (ctl.pager !== undefined) {
    flags |= L4_THREAD_CONTROL_SET_PAGER;
    m[1] = ctl.pager;
  }
  let items = 0;
  if (ctl.bind) {
    flags |= L4_THREAD_CONTROL_BIND_TASK;
    m[L4_THREAD_CONTROL_MR_IDX_BIND_UTCB] = ctl.bind.utcb;
    m[L4_THREAD_CONTROL_MR_IDX_BIND_TASK] = L4_ITEM_MAP;
    m[L4_THREAD_CONTROL_MR_IDX_BIND_TASK + 1] = l4_obj_fpage(ctl.bind.task, 0, L4_CAP_FPAGE_RWS);
    items = 1;
  }
  m[0] = flags;
  return invokeObject(k, t, thread, l4_msgtag(L4_PROTO_THREAD, 6, items, 0));
}

export function l4_thread_ex_regs(k: L4Sys, t: Thread, thread: number, ip: number, sp: number, flags = 0): number {
  const m = mr(k, t);
  m[0] = (L4_THREAD_EX_REGS_OP | flags) >>> 0;
  m[1] = ip >>> 0;
  m[2] = sp >>> 0;
  return invokeObject(k, t, thread, l4_msgtag(L4_PROTO_THREAD, 3, 0, 0));
}

export function l4_scheduler_run_thread(k: L4Sys, t: Thread, scheduler: number, thread: number, prio: number): number {
  const m = mr(k, t);
  m[0] = L4_SCHEDULER_RUN_THREAD_OP;
  m[1] = 0;
  m[2] = 1;
  m[3] = prio;
  m[4] = 0;
  m[5] = l4_map_obj_control(0, false);
  m[6] = l4_obj_fpage(thread, 0, L4_CAP_FPAGE_RWS);
  return invokeObject(k, t, scheduler, l4_msgtag(L4_PROTO_SCHEDULER, 5, 1, 0));
}

/* ================================================================ IRQs, ICU, receive endpoints, gates */

/** Binds an IRQ (or an IPC gate) to `thread`; its messages carry `label`. */
export function l4_rcv_ep_bind_thread(k: L4Sys, t: Thread, ep: number, thread: number, label: number): number {
  const m = mr(k, t);
  m[0] = L4_RCV_EP_BIND_OP;
  m[1] = label >>> 0;
  m[2] = l4_map_obj_control(0, false);
  m[3] = l4_obj_fpage(thread, 0, L4_CAP_FPAGE_RWS);
  return invokeObject(k, t, ep, l4_msgtag(L4_PROTO_KOBJECT, 2, 1, 0));
}

/** The older name of binding an IRQ to a thread (l4_irq_attach(irq, label, thread)). */
export function l4_irq_attach(k: L4Sys, t: Thread, irq: number, label: number, thread: number): number {
  return l4_rcv_ep_bind_thread(k, t, irq, thread, label);
}

/** The label of an IPC gate (needs the W right on it). */
export function l4_ipc_gate_get_infos(k: L4Sys, t: Thread, gate: number): { tag: number; label: number } {
  mr(k, t)[0] = L4_IPC_GATE_GET_INFO_OP;
  const tag = invokeObject(k, t, gate, l4_msgtag(L4_PROTO_KOBJECT, 1, 0, 0));
  return { tag, label: mr(k, t)[0]! };
}

/** A send to the IRQ that never blocks. */
export function l4_irq_trigger(k: L4Sys, t: Thread, irq: number): number {
  let result = DEAD_TAG;
  k.ipc(t, irq, L4_SYSF_SEND, l4_msgtag(L4_PROTO_IRQ, 0, 0, 0), L4_IPC_BOTH_TIMEOUT_0, (r) => (result = r));
  return result;
}

/** Acknowledges the last occurrence and waits for the next one of an IRQ bound to this thread. */
export function l4_irq_receive(k: L4Sys, t: Thread, irq: number, timeout: number, resume: Resume): void {
  mr(k, t)[0] = L4_IRQ_OP_EOI;
  k.ipc(t, irq, L4_SYSF_CALL, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0), timeout, resume);
}

/** Acknowledges an IRQ and waits for any message; the label says what arrived. */
export function l4_irq_wait(k: L4Sys, t: Thread, irq: number, timeout: number, resume: Resume): void {
  mr(k, t)[0] = L4_IRQ_OP_EOI;
  k.ipc(t, irq, L4_SYSF_SEND_AND_WAIT, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0), timeout, resume);
}

export function l4_irq_unmask(k: L4Sys, t: Thread, irq: number): number {
  mr(k, t)[0] = L4_IRQ_OP_EOI;
  let result = DEAD_TAG;
  k.ipc(t, irq, L4_SYSF_SEND, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0), L4_IPC_NEVER, (r) => (result = r));
  return result;
}

export function l4_irq_detach(k: L4Sys, t: Thread, irq: number): number {
  mr(k, t)[0] = L4_IRQ_SENDER_OP_DETACH;
  return invokeObject(k, t, irq, l4_msgtag(L4_PROTO_IRQ_SENDER, 1, 0, 0));
}

export function l4_icu_bind(k: L4Sys, t: Thread, icu: number, irqnum: number, irq: number): number {
  const m = mr(k, t);
  m[0] = L4_ICU_OP_BIND;
  m[1] = irqnum;
  m[2] = l4_map_obj_control(0, false);
  m[3] = l4_obj_fpage(irq, 0, L4_CAP_FPAGE_RWS);
  return invokeObject(k, t, icu, l4_msgtag(L4_PROTO_IRQ, 2, 1, 0));
}

export function l4_icu_unbind(k: L4Sys, t: Thread, icu: number, irqnum: number, irq: number): number {
  const m = mr(k, t);
  m[0] = L4_ICU_OP_UNBIND;
  m[1] = irqnum;
  m[2] = l4_map_obj_control(0, false);
  m[3] = l4_obj_fpage(irq, 0, L4_CAP_FPAGE_RWS);
  return invokeObject(k, t, icu, l4_msgtag(L4_PROTO_IRQ, 2, 1, 0));
}
