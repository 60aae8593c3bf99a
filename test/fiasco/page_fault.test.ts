/*
 * Fiasco.OC page faults: the kernel's page-fault IPC to the thread's pager (label
 * L4_PROTO_PAGE_FAULT, mr[0] the address with the write/exec bits, mr[1] the IP), the
 * pager's map item mapped into the faulter's task, the faulter's registers kept; a thread
 * without a usable pager is refused; a write to a read-only mapping faults again; a pager
 * that left a fault unanswered wakes the faulter through its thread capability.
 */
import test from 'ava';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_TASK_CAP, L4_IPC_ENOT_EXISTENT, L4_ITEM_MAP, L4_PROTO_PAGE_FAULT, L4_EBADPROTO, PAGE_SIZE,
  UTCB_BR, UTCB_TCR_ERRORCODE, capIdx,
} from '../../base-fiasco/src/kernel/consts.js';
import { L4_CAP_FPAGE_RW, L4_FPAGE_RO, L4_FPAGE_RW, l4_fpage, l4_obj_fpage } from '../../base-fiasco/src/kernel/fpage.js';
import { PF_EXEC, PF_WRITE, pfaAccess, type MemoryAccess } from '../../base-fiasco/src/kernel/kernel.js';
import {
  l4_factory_create_gate, l4_ipc_reply, l4_ipc_send, l4_task_delete_obj, l4_task_map, l4_thread_control,
} from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_msgtag, l4_msgtag_has_error, l4_msgtag_items, l4_msgtag_label, l4_msgtag_words } from '../../base-fiasco/src/kernel/msgtag.js';
import type { Thread } from '../../base-fiasco/src/kernel/thread.js';
import { L4_IPC_SEND_TIMEOUT_0 } from '../../base-fiasco/src/kernel/timeout.js';
import type { Pager, PlatformPd } from '../../base/src/core/platform.js';
import { CoreEnv } from '../../base-fiasco/src/core/core_env.js';
import { FocPagerEntrypoint } from '../../base-fiasco/src/core/pager.js';
import { boot, check, newTask, newThread, replyAndWait, settle, slot, wait, type TestSystem } from './helpers.js';

const PAGER_IN_TASK = capIdx(0x20);
const GATE_LABEL = 0x40;
/** Physical memory the pager hands out: RAM above the test kernel's 1 MiB of kernel memory. */
const PHYS = 0x20_0000;

interface Fault { tag: number; error: number }

function fault(sys: TestSystem, t: Thread, vaddr: number, access: MemoryAccess): Promise<Fault> {
  return new Promise((resolve) => sys.k.pageFault(t, vaddr, access, (tag) => resolve({
    tag, error: l4_msgtag_has_error(tag) ? t.utcb![UTCB_TCR_ERRORCODE]! : 0,
  })));
}

/** A pager thread in the root task, a task with a thread whose pager is a gate to it. */
async function setup(withPager = true) {
  const sys = await boot();
  const { k, root } = sys;
  sys.pc.memory.back(PHYS, PAGE_SIZE);
  const pager = await newThread(sys, undefined, 1);
  const task = newTask(sys);
  const faulter = await newThread(sys, task, 0);
  if (withPager) {
    const gate = slot(sys);
    check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, pager.cap, GATE_LABEL), 'gate');
    check(l4_task_map(k, root, task, L4_BASE_TASK_CAP, l4_obj_fpage(gate, 0, L4_CAP_FPAGE_RW), PAGER_IN_TASK | L4_ITEM_MAP), 'map gate');
    check(l4_thread_control(k, root, faulter.cap, { pager: PAGER_IN_TASK }), 'set pager');
  }
  return { sys, pager, task, faulter };
}

test('a page fault reaches the pager as its IPC; the map item of the reply makes the access succeed', async (t) => {
  const { sys, pager, faulter } = await setup();
  const { k } = sys;
  const addr = 0x10_0123;
  t.is(k.memoryAccessible(faulter.thread, addr, 'read'), 0);
  /* the faulter's own registers are kept around the fault */
  const u = faulter.thread.utcb!;
  u[0] = 0x1111;
  u[1] = 0x2222;
  u[UTCB_BR] = 0x3333;
  const got = wait(sys, pager.thread);
  const faulted = fault(sys, faulter.thread, addr, 'write');
  const msg = await got;
  t.is(l4_msgtag_label(msg.tag), L4_PROTO_PAGE_FAULT);
  t.is(l4_msgtag_words(msg.tag), 2);
  t.is((msg.label & ~3) >>> 0, GATE_LABEL, 'the label of the gate the kernel sent through');
  const pu = pager.thread.utcb!;
  t.is(pu[0]! & ~3, addr & ~3);
  t.is(pfaAccess(pu[0]!), 'write');
  t.is(pu[1], faulter.thread.ip, 'mr[1] is the faulting IP');
  /* the reply: one map item, a page of RAM at the fault's page */
  pu[0] = (0x10_0000 | L4_ITEM_MAP) >>> 0;
  pu[1] = l4_fpage(PHYS, 12, L4_FPAGE_RW);
  void replyAndWait(sys, pager.thread, l4_msgtag(0, 0, 1, 0));
  const r = await faulted;
  t.is(r.error, 0);
  t.false(l4_msgtag_has_error(r.tag));
  t.is(l4_msgtag_items(r.tag), 1);
  t.deepEqual([u[0], u[1], u[UTCB_BR]], [0x1111, 0x2222, 0x3333]);
  t.is(k.memoryAccessible(faulter.thread, addr, 'write'), PAGE_SIZE - 0x123);
  k.memoryView(faulter.thread, addr, 4, true)!.set([1, 2, 3, 4]);
  t.deepEqual([...sys.pc.memory.find(PHYS + 0x123, 4)!], [1, 2, 3, 4], 'the task sees the pager\'s frame');
});

test('a fault of a thread without a pager, or whose pager is gone, is refused', async (t) => {
  {
    const { sys, faulter } = await setup(false);
    const r = await fault(sys, faulter.thread, 0x10_0000, 'read');
    t.true(l4_msgtag_has_error(r.tag));
    t.is(r.error, L4_IPC_ENOT_EXISTENT);
  }
  {
    const { sys, pager, faulter } = await setup();
    check(l4_task_delete_obj(sys.k, sys.root, L4_BASE_TASK_CAP, pager.cap), 'delete pager thread');
    const r = await fault(sys, faulter.thread, 0x10_0000, 'read');
    t.true(l4_msgtag_has_error(r.tag));
    t.is(r.error, L4_IPC_ENOT_EXISTENT);
    t.is(sys.k.memoryAccessible(faulter.thread, 0x10_0000, 'read'), 0);
  }
});

test('a write to a read-only mapping faults, with the write bit; exec faults carry the exec bit', async (t) => {
  const { sys, pager, faulter } = await setup();
  const { k } = sys;
  const addr = 0x10_0000;
  const pu = pager.thread.utcb!;
  let got = wait(sys, pager.thread);
  let faulted = fault(sys, faulter.thread, addr, 'read');
  await got;
  t.is(pfaAccess(pu[0]!), 'read');
  t.is(pu[0]! & (PF_WRITE | PF_EXEC), 0);
  pu[0] = (addr | L4_ITEM_MAP) >>> 0;
  pu[1] = l4_fpage(PHYS, 12, L4_FPAGE_RO);
  got = replyAndWait(sys, pager.thread, l4_msgtag(0, 0, 1, 0));
  t.is((await faulted).error, 0);
  t.is(k.memoryAccessible(faulter.thread, addr, 'read'), PAGE_SIZE);
  t.is(k.memoryAccessible(faulter.thread, addr, 'write'), 0);
  t.is(k.memoryAccessible(faulter.thread, addr, 'exec'), 0);
  t.is(k.memoryView(faulter.thread, addr, 4, true), undefined);
  faulted = fault(sys, faulter.thread, addr + 8, 'write');
  await got;
  t.is(pu[0], (addr + 8) | PF_WRITE);
  t.is(pfaAccess(pu[0]!), 'write');
  /* a pager that maps the same frame read-only again changes nothing: the write still faults */
  pu[0] = (addr | L4_ITEM_MAP) >>> 0;
  pu[1] = l4_fpage(PHYS, 12, L4_FPAGE_RO);
  void replyAndWait(sys, pager.thread, l4_msgtag(0, 0, 1, 0));
  t.is((await faulted).error, 0);
  t.is(k.memoryAccessible(faulter.thread, addr, 'write'), 0);
});

test('an exec fault carries bit 0 only', async (t) => {
  const { sys, pager, faulter } = await setup();
  const pu = pager.thread.utcb!;
  const got = wait(sys, pager.thread);
  void fault(sys, faulter.thread, 0x10_2000, 'exec');
  await got;
  t.is(pu[0], 0x10_2000 | PF_EXEC);
  t.is(pfaAccess(pu[0]!), 'exec');
});

test('a pager that left a fault unanswered serves others and wakes the faulter through its thread capability', async (t) => {
  const { sys, pager, task, faulter } = await setup();
  const { k, root } = sys;
  const second = await newThread(sys, task, 1);
  check(l4_thread_control(k, root, second.cap, { pager: PAGER_IN_TASK }), 'set pager');
  const pu = pager.thread.utcb!;
  let woken = false;
  const first = fault(sys, faulter.thread, 0x10_0000, 'read').then((r) => { woken = true; return r; });
  await wait(sys, pager.thread);
  /* no reply: wait for the next fault, which is answered */
  const got = wait(sys, pager.thread);
  const other = fault(sys, second.thread, 0x20_0000, 'read');
  await got;
  t.is(pu[0], 0x20_0000);
  pu[0] = (0x20_0000 | L4_ITEM_MAP) >>> 0;
  pu[1] = l4_fpage(PHYS, 12, L4_FPAGE_RW);
  check(l4_ipc_reply(k, pager.thread, l4_msgtag(0, 0, 1, 0)), 'reply');
  t.is((await other).error, 0);
  t.is(k.memoryAccessible(second.thread, 0x20_0000, 'read'), PAGE_SIZE);
  await settle();
  t.false(woken, 'the first faulter still waits');
  /* only its pager is its partner: another thread's send is a kernel-object invocation and wakes nothing */
  const helper = await newThread(sys, undefined, 3);
  const stranger = await new Promise<number>((r) => l4_ipc_send(k, helper.thread, faulter.cap, l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0, r));
  t.is(l4_msgtag_label(stranger), -L4_EBADPROTO);
  await settle();
  t.false(woken);
  /* the pager's wake-up (Genode's acknowledge_wakeup): an empty message through the thread capability */
  const sent = await new Promise<number>((r) => l4_ipc_send(k, pager.thread, faulter.cap, l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0, r));
  t.false(l4_msgtag_has_error(sent));
  const r = await first;
  t.is(r.error, 0);
  t.is(k.memoryAccessible(faulter.thread, 0x10_0000, 'read'), 0, 'woken without a mapping: it faults again');
});

/* ------------------------------------------------------------------ core's pager thread (base-fiasco/src/core/pager.ts) */

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await settle();
}

test('core\'s one pager thread maps, leaves a fault for its handler blocked while serving other tasks, wakes it, and reports an unresolvable one', async (t) => {
  const sys = await boot();
  sys.nextSlot = 0x8000; // clear of core's own slot allocator
  sys.pc.memory.back(PHYS, 2 * PAGE_SIZE);
  const { k, root } = sys;
  const env = new CoreEnv(k, root);
  const reported: string[] = [];
  env.onFault((pd, reason) => reported.push(`${pd.label}: ${reason}`));
  const pdA = { label: 'a' } as unknown as PlatformPd;
  const pdB = { label: 'b' } as unknown as PlatformPd;
  let release!: () => void;
  const retry = new Promise<void>((r) => (release = r));
  let handled = false;
  const asked: string[] = [];
  const pager: Pager = (pd, f) => {
    asked.push(`${pd.label}:${f.thread}:${f.access}@${f.addr.toString(16)}`);
    if (f.addr >= 0x30_0000) return { kind: 'fail', reason: 'nothing there' };
    if (pd === pdA && !handled) return { kind: 'wait', retry };
    return { kind: 'map', vaddr: f.addr & ~0xfff, phys: PHYS + (pd === pdA ? 0 : PAGE_SIZE), size: PAGE_SIZE, writeable: true, executable: false };
  };
  const ep = new FocPagerEntrypoint(env, pager);
  const paged = async (pd: PlatformPd) => {
    const task = newTask(sys);
    const th = await newThread(sys, task, 0);
    const obj = ep.register(pd, 'main', th.cap);
    if (typeof obj === 'string') throw new Error(obj);
    check(l4_task_map(k, root, task, L4_BASE_TASK_CAP, l4_obj_fpage(obj.gate, 0, L4_CAP_FPAGE_RW), PAGER_IN_TASK | L4_ITEM_MAP), 'map gate');
    check(l4_thread_control(k, root, th.cap, { pager: PAGER_IN_TASK }), 'set pager');
    return th.thread;
  };
  const a = await paged(pdA);
  const b = await paged(pdB);

  let aWoken = false;
  const fa = fault(sys, a, 0x10_0010, 'write').then((r) => { aWoken = true; return r; });
  await until(() => asked.length === 1);
  t.deepEqual(asked, ['a:main:write@100010']);
  /* another task's fault is served while a's waits for its handler */
  const fb = await fault(sys, b, 0x10_0000, 'read');
  t.is(fb.error, 0);
  t.is(k.memoryAccessible(b, 0x10_0000, 'write'), PAGE_SIZE, 'a read maps the writeable region writeable');
  await settle();
  t.false(aWoken);
  /* the handler did its work: core wakes the faulter, which faults again and gets its page */
  handled = true;
  release();
  const ra = await fa;
  t.is(ra.error, 0);
  t.is(k.memoryAccessible(a, 0x10_0000, 'write'), 0, 'the wake-up carries no mapping');
  t.is((await fault(sys, a, 0x10_0010, 'write')).error, 0);
  t.is(k.memoryAccessible(a, 0x10_0000, 'write'), PAGE_SIZE);
  k.memoryView(a, 0x10_0000, 1, true)![0] = 0x5a;
  t.is(sys.pc.memory.find(PHYS, 1)![0], 0x5a);
  /* an unresolvable fault is the PD's fault; its thread stays blocked */
  let cWoken = false;
  void fault(sys, b, 0x30_0000, 'read').then(() => (cWoken = true));
  await until(() => reported.length > 0);
  t.deepEqual(reported, ['b: nothing there']);
  await settle();
  t.false(cWoken);
  /* the pager thread serves on */
  t.is((await fault(sys, a, 0x10_1000, 'read')).error, 0);
});
