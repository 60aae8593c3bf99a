/* Fiasco.OC: l4_thread_ex_regs TRIGGER_EXCEPTION holds a thread until its pager answers (Genode's pause). */
import test from 'ava';
import { L4_BASE_FACTORY_CAP, L4_BASE_TASK_CAP, L4_ITEM_MAP, L4_EINVAL, capIdx } from '../../base-fiasco/src/kernel/consts.js';
import { L4_CAP_FPAGE_RWS, l4_obj_fpage } from '../../base-fiasco/src/kernel/fpage.js';
import { l4_factory_create_gate, l4_task_map, l4_thread_ex_regs } from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_msgtag } from '../../base-fiasco/src/kernel/msgtag.js';
import { L4_THREAD_EX_REGS_TRIGGER_EXCEPTION } from '../../base-fiasco/src/kernel/thread.js';
import { boot, call, check, newTask, newThread, replyAndWait, settle, slot, wait } from './helpers.js';

const CLIENT_GATE = capIdx(0x20);

test('a thread stopped by ex_regs TRIGGER_EXCEPTION neither enters the kernel nor gets its reply until the pager answers', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const serverTask = newTask(sys);
  const clientTask = newTask(sys);
  const server = await newThread(sys, serverTask, 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, server.cap, 0x100), 'gate');
  check(l4_task_map(k, root, clientTask, L4_BASE_TASK_CAP, l4_obj_fpage(gate, 0, L4_CAP_FPAGE_RWS), CLIENT_GATE | L4_ITEM_MAP), 'map gate');
  const client = await newThread(sys, clientTask, 1);

  /* paused while blocked in a call: the reply is held */
  let request = wait(sys, server.thread);
  let replied = false;
  const first = call(sys, client.thread, CLIENT_GATE, l4_msgtag(1, 0, 0, 0)).then(() => (replied = true));
  await request;
  check(l4_thread_ex_regs(k, root, client.cap, 0xffffffff, 0xffffffff, L4_THREAD_EX_REGS_TRIGGER_EXCEPTION), 'pause');
  t.true(client.thread.hold.paused);
  request = replyAndWait(sys, server.thread, l4_msgtag(0, 0, 0, 0));
  await settle();
  t.false(replied, 'the reply is held from a paused thread');
  t.is(client.thread.hold.holding, 1);
  t.is(k.exceptionReply(root, client.cap), 0);
  await first;
  t.true(replied);

  /* paused before a call: the call is not carried out */
  check(l4_thread_ex_regs(k, root, client.cap, 0xffffffff, 0xffffffff, L4_THREAD_EX_REGS_TRIGGER_EXCEPTION), 'pause');
  let arrived = false;
  void request.then(() => (arrived = true));
  const second = call(sys, client.thread, CLIENT_GATE, l4_msgtag(2, 0, 0, 0));
  await settle();
  t.false(arrived, 'a paused thread\'s call does not reach the server');
  t.is(k.exceptionReply(root, client.cap), 0);
  await request;
  t.true(arrived);
  void replyAndWait(sys, server.thread, l4_msgtag(0, 0, 0, 0));
  await second;

  /* only core answers, and only for a thread */
  t.is(k.exceptionReply(client.thread, client.cap), L4_EINVAL);
  t.is(k.exceptionReply(root, gate), L4_EINVAL);
});
