/*
 * A bare Fiasco.OC system for the kernel tests: the kernel on an emulated PC, the root
 * thread, and helpers that create tasks and threads through the factory and drive their
 * system calls from the test's async code (each thread's "program" is the test itself).
 */
import { Pc } from '../../tool/pc/index.js';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_SCHEDULER_CAP, L4_BASE_TASK_CAP, L4_ITEM_MAP, UTCB_BYTES, UTCB_TCR_ERRORCODE, capIdx,
} from '../../base-fiasco/src/kernel/consts.js';
import { L4_CAP_FPAGE_RWS, L4_FPAGE_RW, l4_fpage, l4_obj_fpage } from '../../base-fiasco/src/kernel/fpage.js';
import { Fiasco } from '../../base-fiasco/src/kernel/kernel.js';
import {
  l4_factory_create_task, l4_factory_create_thread, l4_ipc_call, l4_ipc_reply_and_wait, l4_ipc_wait,
  l4_scheduler_run_thread, l4_task_map, l4_thread_control, l4_thread_ex_regs,
} from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_error } from '../../base-fiasco/src/kernel/msgtag.js';
import type { Thread } from '../../base-fiasco/src/kernel/thread.js';
import { L4_IPC_NEVER } from '../../base-fiasco/src/kernel/timeout.js';

/** Every test task's UTCB area: 1 MiB at 0x4000_0000. */
export const TASK_UTCB_AREA = 0x4000_0000;
export const TASK_UTCB_LOG2 = 20;

export interface TestSystem {
  pc: Pc;
  k: Fiasco;
  root: Thread;
  /** Next free capability slot of the root task. */
  nextSlot: number;
  nextIp: number;
}

export async function boot(): Promise<TestSystem> {
  const pc = new Pc({ ramBytes: 16 * 1024 * 1024 });
  const k = new Fiasco(pc, { kernelMemory: 1024 * 1024 });
  k.console = () => {};
  const root = await new Promise<Thread>((resolve) => k.bootRoot('root', k.rootUtcbArea.base, resolve));
  return { pc, k, root, nextSlot: 0x100, nextIp: 0x1000 };
}

/** A free capability index of the root task. */
export function slot(sys: TestSystem): number {
  return capIdx(sys.nextSlot++);
}

export function check(tag: number, what: string): void {
  if (l4_error(tag) !== 0) throw new Error(`${what}: ${l4_error(tag)}`);
}

/** A new task (held by the root at the returned index) that has its own capability at L4_BASE_TASK_CAP. */
export function newTask(sys: TestSystem): number {
  const { k, root } = sys;
  const task = slot(sys);
  check(l4_factory_create_task(k, root, L4_BASE_FACTORY_CAP, task, l4_fpage(TASK_UTCB_AREA, TASK_UTCB_LOG2, L4_FPAGE_RW)), 'create task');
  check(l4_task_map(k, root, task, L4_BASE_TASK_CAP, l4_obj_fpage(task, 0, L4_CAP_FPAGE_RWS), L4_BASE_TASK_CAP | L4_ITEM_MAP), 'map task cap');
  return task;
}

/**
 * Creates thread `index` of `task` (the root task if undefined), starts it at `prio` and resolves
 * with it (and its index in the root task) once it runs.
 */
export async function newThread(sys: TestSystem, task: number | undefined, index: number, prio = 100): Promise<{ thread: Thread; cap: number }> {
  const { k, root } = sys;
  const cap = slot(sys);
  const utcb = task === undefined ? k.rootUtcbArea.base + index * UTCB_BYTES : TASK_UTCB_AREA + index * UTCB_BYTES;
  check(l4_factory_create_thread(k, root, L4_BASE_FACTORY_CAP, cap), 'create thread');
  check(l4_thread_control(k, root, cap, { bind: { utcb, task: task ?? L4_BASE_TASK_CAP } }), 'bind thread');
  const ip = sys.nextIp++;
  const running = new Promise<Thread>((resolve) => k.writeText(root, task ?? L4_BASE_TASK_CAP, ip, resolve));
  check(l4_thread_ex_regs(k, root, cap, ip, 0), 'ex_regs');
  check(l4_scheduler_run_thread(k, root, L4_BASE_SCHEDULER_CAP, cap, prio), 'run thread');
  return { thread: await running, cap };
}

export interface IpcResult {
  tag: number;
  label: number;
  /** The IPC error code from the thread control register (0: none). */
  error: number;
}

function result(t: Thread, resolve: (r: IpcResult) => void) {
  return (tag: number, label: number) => resolve({ tag, label, error: (tag & 0x8000) ? t.utcb![UTCB_TCR_ERRORCODE]! : 0 });
}

export function call(sys: TestSystem, t: Thread, dest: number, tag: number, timeout = L4_IPC_NEVER): Promise<IpcResult> {
  return new Promise((resolve) => l4_ipc_call(sys.k, t, dest, tag, timeout, result(t, resolve)));
}

export function wait(sys: TestSystem, t: Thread, timeout = L4_IPC_NEVER): Promise<IpcResult> {
  return new Promise((resolve) => l4_ipc_wait(sys.k, t, timeout, result(t, resolve)));
}

export function replyAndWait(sys: TestSystem, t: Thread, tag: number, timeout = L4_IPC_NEVER): Promise<IpcResult> {
  return new Promise((resolve) => l4_ipc_reply_and_wait(sys.k, t, tag, timeout, result(t, resolve)));
}

/** Lets every queued thread and the idle loop run once. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
