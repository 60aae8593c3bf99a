/* Fiasco.OC kernel objects: creation through the factory, capability slots, errors and quotas. */
import test from 'ava';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_ICU_CAP, L4_BASE_TASK_CAP, L4_EBADPROTO, L4_EINVAL, L4_ENOMEM, L4_INVALID_CAP,
  L4_IPC_ENOT_EXISTENT, L4_RCV_ITEM_SINGLE_CAP, UTCB_BR, capSlot,
} from '../../base-fiasco/src/kernel/consts.js';
import {
  l4_factory_create_factory, l4_factory_create_gate, l4_factory_create_irq, l4_factory_create_thread, l4_ipc_gate_get_infos,
  l4_task_cap_equal, l4_task_cap_valid, l4_task_delete_obj, l4_thread_control,
} from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_error, l4_msgtag, l4_msgtag_has_error, l4_msgtag_label } from '../../base-fiasco/src/kernel/msgtag.js';
import { boot, call, newTask, newThread, slot } from './helpers.js';
import { FIASCO_COSTS, FIASCO_OPS } from '../../base-fiasco/src/kernel/cost_model.js';

test('the factory creates a task, a thread, a gate and an IRQ into the named slots', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const task = newTask(sys);
  const thread = slot(sys);
  const gate = slot(sys);
  const irq = slot(sys);
  t.is(l4_error(l4_factory_create_thread(k, root, L4_BASE_FACTORY_CAP, thread)), 0);
  t.is(l4_error(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, thread, 0x40)), 0);
  t.is(l4_error(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq)), 0);
  const kinds = [task, thread, gate, irq].map((c) => k.rootTask.objects.lookup(capSlot(c))?.obj.kind);
  t.deepEqual(kinds, ['Task', 'Thread', 'Ipc_gate', 'Irq']);
  for (const c of [task, thread, gate, irq]) t.is(l4_msgtag_label(l4_task_cap_valid(k, root, L4_BASE_TASK_CAP, c)), 1);
  t.is(l4_ipc_gate_get_infos(k, root, gate).label, 0x40);
  t.is(l4_msgtag_label(l4_task_cap_equal(k, root, L4_BASE_TASK_CAP, gate, gate)), 1);
  t.is(l4_msgtag_label(l4_task_cap_equal(k, root, L4_BASE_TASK_CAP, gate, irq)), 0);
});

test('invoking an empty or invalid slot fails with L4_IPC_ENOT_EXISTENT in the thread control register', async (t) => {
  const sys = await boot();
  const empty = await call(sys, sys.root, slot(sys), l4_msgtag(0, 0, 0, 0));
  t.true(l4_msgtag_has_error(empty.tag));
  t.is(empty.error, L4_IPC_ENOT_EXISTENT);
  const invalid = await call(sys, sys.root, L4_INVALID_CAP, l4_msgtag(0, 0, 0, 0));
  t.is(invalid.error, L4_IPC_ENOT_EXISTENT);
  t.is(l4_msgtag_label(l4_task_cap_valid(sys.k, sys.root, L4_BASE_TASK_CAP, slot(sys))), 0);
});

test('a kernel object answers a foreign protocol with -EBADPROTO', async (t) => {
  const sys = await boot();
  const r = await call(sys, sys.root, L4_BASE_ICU_CAP, l4_msgtag(0, 0, 0, 0));
  t.false(l4_msgtag_has_error(r.tag));
  t.is(l4_msgtag_label(r.tag), -L4_EBADPROTO);
});

test('the new capability goes to the receive buffer br[0]; a gate binds only to a thread', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const target = slot(sys);
  t.is(l4_error(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, target)), 0);
  t.is(root.utcb![UTCB_BR]! >>> 0, (target | L4_RCV_ITEM_SINGLE_CAP) >>> 0);
  /* a gate can only be bound to a thread, not to an IRQ */
  t.is(l4_error(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, slot(sys), target, 4)), -L4_EINVAL);
});

test('a factory charges its kernel-memory quota and is refunded when objects die', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const small = slot(sys);
  t.is(l4_error(l4_factory_create_factory(k, root, L4_BASE_FACTORY_CAP, small, 200)), 0);
  const g1 = slot(sys);
  const g2 = slot(sys);
  t.is(l4_error(l4_factory_create_gate(k, root, small, g1, L4_INVALID_CAP, 4)), 0);
  t.is(l4_error(l4_factory_create_gate(k, root, small, g2, L4_INVALID_CAP, 8)), 0);
  t.is(l4_error(l4_factory_create_thread(k, root, small, slot(sys))), -L4_ENOMEM);
  t.is(l4_error(l4_factory_create_irq(k, root, small, slot(sys))), 0);
  t.is(l4_error(l4_factory_create_irq(k, root, small, slot(sys))), -L4_ENOMEM);
  t.is(l4_error(l4_task_delete_obj(k, root, L4_BASE_TASK_CAP, g1)), 0);
  t.is(l4_error(l4_factory_create_irq(k, root, small, slot(sys))), 0);
});

test('a thread binds its UTCB only inside its task\'s UTCB area, once', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const task = newTask(sys);
  const th = slot(sys);
  t.is(l4_error(l4_factory_create_thread(k, root, L4_BASE_FACTORY_CAP, th)), 0);
  t.is(l4_error(l4_thread_control(k, root, th, { bind: { utcb: 0x1000, task } })), -L4_EINVAL);
  t.is(l4_error(l4_thread_control(k, root, th, { bind: { utcb: 0x4000_0200, task } })), 0);
  t.not(l4_error(l4_thread_control(k, root, th, { bind: { utcb: 0x4000_0400, task } })), 0);
  /* the UTCB page is mapped into the task */
  const { thread } = await newThread(sys, task, 5);
  t.truthy(k.memoryView(thread, 0x4000_0200, 512));
});

test('a null system call costs exactly its counted operations', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const before = k.tsc();
  const counted = k.account.snapshot();
  for (let i = 0; i < 100; i++) l4_task_cap_valid(k, root, L4_BASE_TASK_CAP, L4_BASE_TASK_CAP);
  const perCall = (k.tsc() - before) / 100;
  const after = k.account.snapshot();
  let charged = 0;
  for (const op of FIASCO_OPS) charged += (after[op] - counted[op]) * FIASCO_COSTS[op];
  t.is(perCall, charged / 100);
  t.is(after.syscall - counted.syscall, 100);
});
