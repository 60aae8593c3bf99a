/* Fiasco.OC IPC: call and reply through gates, labels, map items, queueing, timeouts, aborts. */
import test from 'ava';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_TASK_CAP, L4_INVALID_CAP, L4_IPC_ENOT_EXISTENT, L4_IPC_NO_REPLY_CAP, L4_IPC_REABORTED, L4_IPC_REMAPFAILED, L4_IPC_RETIMEOUT,
  L4_IPC_SEABORTED, L4_IPC_SECANCELED, L4_IPC_SEMAPFAILED, L4_IPC_SETIMEOUT, L4_ITEM_MAP, L4_RCV_ITEM_SINGLE_CAP, UTCB_BDR, UTCB_BR, capIdx, capSlot,
} from '../../base-fiasco/src/kernel/consts.js';
import { L4_CAP_FPAGE_R, L4_CAP_FPAGE_RWS, l4_obj_fpage } from '../../base-fiasco/src/kernel/fpage.js';
import {
  l4_factory_create_gate, l4_factory_create_irq, l4_ipc_send, l4_rcv_ep_bind_thread, l4_task_delete_obj, l4_task_map,
  l4_thread_ex_regs,
} from '../../base-fiasco/src/kernel/l4sys.js';
import type { IpcGate } from '../../base-fiasco/src/kernel/ipc_gate.js';
import { l4_msgtag, l4_msgtag_items, l4_msgtag_label, l4_msgtag_words } from '../../base-fiasco/src/kernel/msgtag.js';
import type { Task } from '../../base-fiasco/src/kernel/task.js';
import { IpcState, L4_THREAD_EX_REGS_CANCEL, type Thread } from '../../base-fiasco/src/kernel/thread.js';
import { L4_IPC_NEVER, L4_IPC_SEND_TIMEOUT_0, l4_timeout, l4_timeout_from_us, L4_IPC_TIMEOUT_NEVER } from '../../base-fiasco/src/kernel/timeout.js';
import { boot, call, check, newTask, newThread, replyAndWait, settle, slot, wait, type TestSystem } from './helpers.js';

const CLIENT_GATE = capIdx(0x20);

/** A server thread in its own task, a client task holding a gate to it (label 0x100) at CLIENT_GATE. */
async function pair(sys: TestSystem, rights = L4_CAP_FPAGE_RWS) {
  const { k, root } = sys;
  const serverTask = newTask(sys);
  const clientTask = newTask(sys);
  const server = await newThread(sys, serverTask, 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, server.cap, 0x100), 'gate');
  check(l4_task_map(k, root, clientTask, L4_BASE_TASK_CAP, l4_obj_fpage(gate, 0, rights), CLIENT_GATE | L4_ITEM_MAP), 'map gate');
  return { serverTask, clientTask, server: server.thread, serverCap: server.cap, gate };
}

test('call and reply carry words; the receiver sees the gate\'s label, not one the sender chose', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const client = (await newThread(sys, p.clientTask, 1)).thread;
  const request = wait(sys, p.server);
  client.utcb!.set([1, 2, 3], 0);
  const reply = call(sys, client, CLIENT_GATE, l4_msgtag(42, 3, 0, 0));
  const r = await request;
  t.is(l4_msgtag_label(r.tag), 42);
  t.is(l4_msgtag_words(r.tag), 3);
  t.is(r.label, 0x100 | 3); // the low bits: the W and S rights of the invoked capability
  t.deepEqual([...p.server.utcb!.subarray(0, 3)], [1, 2, 3]);
  p.server.utcb![0] = 6;
  void replyAndWait(sys, p.server, l4_msgtag(0, 1, 0, 0));
  const rr = await reply;
  t.is(rr.error, 0);
  t.is(l4_msgtag_words(rr.tag), 1);
  t.is(client.utcb![0], 6);
  t.true(sys.k.account.count('asSwitch') >= 2);
});

test('a capability with fewer rights delivers the bare label', async (t) => {
  const sys = await boot();
  const p = await pair(sys, L4_CAP_FPAGE_R);
  const client = (await newThread(sys, p.clientTask, 1)).thread;
  const request = wait(sys, p.server);
  void call(sys, client, CLIENT_GATE, l4_msgtag(0, 0, 0, 0));
  t.is((await request).label, 0x100);
});

test('a map item lands in the receiver\'s buffer slot and names the same object', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const p = await pair(sys);
  const client = (await newThread(sys, p.clientTask, 1)).thread;
  const irq = slot(sys);
  check(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq), 'irq');
  check(l4_task_map(k, root, p.clientTask, L4_BASE_TASK_CAP, l4_obj_fpage(irq, 0, L4_CAP_FPAGE_RWS), capIdx(0x21) | L4_ITEM_MAP), 'map irq');
  const s = p.server.utcb!;
  s[UTCB_BDR] = 0;
  s[UTCB_BR] = capIdx(0x30) | L4_RCV_ITEM_SINGLE_CAP;
  const request = wait(sys, p.server);
  client.utcb!.set([7, L4_ITEM_MAP, l4_obj_fpage(capIdx(0x21), 0, L4_CAP_FPAGE_RWS)], 0);
  void call(sys, client, CLIENT_GATE, l4_msgtag(0, 1, 1, 0));
  const r = await request;
  t.is(l4_msgtag_items(r.tag), 1);
  t.is(s[0], 7);
  t.is(s[2], l4_obj_fpage(capIdx(0x30), 0, L4_CAP_FPAGE_RWS));
  const serverTask = k.rootTask.objects.lookup(capSlot(p.serverTask))!.obj as Task;
  t.is(serverTask.objects.lookup(0x30)!.obj, k.rootTask.objects.lookup(capSlot(irq))!.obj);
});

test('a map item without a receive buffer fails on both sides', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const client = (await newThread(sys, p.clientTask, 1)).thread;
  p.server.utcb![UTCB_BR] = 0;
  const request = wait(sys, p.server);
  client.utcb!.set([L4_ITEM_MAP, l4_obj_fpage(L4_BASE_TASK_CAP, 0, L4_CAP_FPAGE_RWS)], 0);
  const r = await call(sys, client, CLIENT_GATE, l4_msgtag(0, 0, 1, 0));
  t.is(r.error, L4_IPC_SEMAPFAILED);
  t.is((await request).error, L4_IPC_REMAPFAILED);
});

test('senders queue while the receiver is busy and are served in order', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const a = (await newThread(sys, p.clientTask, 1)).thread;
  const b = (await newThread(sys, p.clientTask, 2)).thread;
  a.utcb![0] = 0xa;
  b.utcb![0] = 0xb;
  const ra = call(sys, a, CLIENT_GATE, l4_msgtag(0, 1, 0, 0));
  const rb = call(sys, b, CLIENT_GATE, l4_msgtag(0, 1, 0, 0));
  await settle();
  t.is(a.state, IpcState.SENDING);
  t.deepEqual([...p.server.senders], [a, b]);
  await wait(sys, p.server);
  t.is(p.server.utcb![0], 0xa);
  const second = replyAndWait(sys, p.server, l4_msgtag(0, 0, 0, 0));
  t.is((await ra).error, 0);
  await second;
  t.is(p.server.utcb![0], 0xb);
  void replyAndWait(sys, p.server, l4_msgtag(0, 0, 0, 0));
  t.is((await rb).error, 0);
});

test('a zero send timeout fails at once; a receive timeout ends in virtual time', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const client = (await newThread(sys, p.clientTask, 1)).thread;
  const sent = await new Promise<number>((r) => l4_ipc_send(sys.k, client, CLIENT_GATE, l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0, r));
  t.true((sent & 0x8000) !== 0);
  t.is(client.utcb![123], L4_IPC_SETIMEOUT);
  const before = sys.k.tsc();
  const r = await wait(sys, p.server, l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(1000)));
  t.is(r.error, L4_IPC_RETIMEOUT);
  t.true(sys.k.tsc() - before >= sys.pc.clock.tscHz / 1000);
});

test('a reply without a reply capability fails', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const r = await replyAndWait(sys, p.server, l4_msgtag(0, 0, 0, 0));
  t.is(r.error, L4_IPC_NO_REPLY_CAP);
});

test('when the receiver dies, its caller and the queued senders are aborted', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const a = (await newThread(sys, p.clientTask, 1)).thread;
  const b = (await newThread(sys, p.clientTask, 2)).thread;
  const request = wait(sys, p.server);
  const ra = call(sys, a, CLIENT_GATE, l4_msgtag(0, 0, 0, 0));
  await request;
  const rb = call(sys, b, CLIENT_GATE, l4_msgtag(0, 0, 0, 0));
  check(l4_task_delete_obj(sys.k, sys.root, L4_BASE_TASK_CAP, p.serverCap), 'delete server thread');
  t.is((await ra).error, L4_IPC_REABORTED);
  t.is((await rb).error, L4_IPC_SEABORTED);
  /* the gate is bound to a dead thread now */
  const again = await call(sys, a, CLIENT_GATE, l4_msgtag(0, 0, 0, 0));
  t.true(again.error !== 0);
});

test('a second IPC through a thread that waits in a call is refused; the first completes', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const client = (await newThread(sys, p.clientTask, 1)).thread;
  const request = wait(sys, p.server);
  client.utcb![0] = 7;
  const first = call(sys, client, CLIENT_GATE, l4_msgtag(1, 1, 0, 0));
  await request;
  const second = await call(sys, client, CLIENT_GATE, l4_msgtag(2, 1, 0, 0));
  t.true((second.tag & 0x8000) !== 0, 'the second call fails');
  t.is(client.state, IpcState.RECEIVING, 'the first call still waits for its reply');
  p.server.utcb![0] = 8;
  void replyAndWait(sys, p.server, l4_msgtag(0, 1, 0, 0));
  const r = await first;
  t.is(r.error, 0);
  t.is(client.utcb![0], 8);
});

/** A server thread and a gate that is bound to no thread yet, mapped into a client task at CLIENT_GATE. */
async function unboundGate(sys: TestSystem) {
  const { k, root } = sys;
  const serverTask = newTask(sys);
  const clientTask = newTask(sys);
  const server = await newThread(sys, serverTask, 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, L4_INVALID_CAP, 0), 'gate');
  check(l4_task_map(k, root, clientTask, L4_BASE_TASK_CAP, l4_obj_fpage(gate, 0, L4_CAP_FPAGE_RWS), CLIENT_GATE | L4_ITEM_MAP), 'map gate');
  const obj = k.rootTask.objects.lookup(capSlot(gate))!.obj as IpcGate;
  return { clientTask, server: server.thread, serverCap: server.cap, gate, obj };
}

function send(sys: TestSystem, t: Thread, dest: number, timeout: number) {
  return new Promise<number>((r) => l4_ipc_send(sys.k, t, dest, l4_msgtag(0, 0, 0, 0), timeout, (tag) => r((tag & 0x8000) ? t.utcb![123]! : 0)));
}

test('a send through a gate bound to no thread blocks until the gate is bound, then completes', async (t) => {
  const sys = await boot();
  const g = await unboundGate(sys);
  const client = (await newThread(sys, g.clientTask, 1)).thread;
  client.utcb![0] = 5;
  const reply = call(sys, client, CLIENT_GATE, l4_msgtag(0, 1, 0, 0));
  await settle();
  t.is(client.state, IpcState.SENDING, 'the sender waits at the gate');
  t.deepEqual([...g.obj.waiters], [client]);
  const request = wait(sys, g.server);
  check(l4_rcv_ep_bind_thread(sys.k, sys.root, g.gate, g.serverCap, 0x200), 'bind gate');
  const r = await request;
  t.is(r.label, 0x200 | 3, 'the label set by the bind');
  t.is(g.server.utcb![0], 5);
  t.is(g.obj.waiters.length, 0);
  void replyAndWait(sys, g.server, l4_msgtag(0, 0, 0, 0));
  t.is((await reply).error, 0);
});

test('a send to an unbound gate: a zero timeout fails at once, a finite one in virtual time', async (t) => {
  const sys = await boot();
  const g = await unboundGate(sys);
  const client = (await newThread(sys, g.clientTask, 1)).thread;
  t.is(await send(sys, client, CLIENT_GATE, L4_IPC_SEND_TIMEOUT_0), L4_IPC_SETIMEOUT);
  const before = sys.k.tsc();
  t.is(await send(sys, client, CLIENT_GATE, l4_timeout(l4_timeout_from_us(1000), L4_IPC_TIMEOUT_NEVER)), L4_IPC_SETIMEOUT);
  t.true(sys.k.tsc() - before >= sys.pc.clock.tscHz / 1000);
  t.is(g.obj.waiters.length, 0, 'the timed-out sender left the gate');
});

test('deleting a gate wakes the senders waiting at it with ENOT_EXISTENT', async (t) => {
  const sys = await boot();
  const g = await unboundGate(sys);
  const a = (await newThread(sys, g.clientTask, 1)).thread;
  const b = (await newThread(sys, g.clientTask, 2)).thread;
  const ra = call(sys, a, CLIENT_GATE, l4_msgtag(0, 0, 0, 0));
  const rb = send(sys, b, CLIENT_GATE, L4_IPC_NEVER);
  await settle();
  t.is(a.state, IpcState.SENDING);
  t.is(b.state, IpcState.SENDING);
  check(l4_task_delete_obj(sys.k, sys.root, L4_BASE_TASK_CAP, g.gate), 'delete gate');
  t.is((await ra).error, L4_IPC_ENOT_EXISTENT);
  t.is(await rb, L4_IPC_ENOT_EXISTENT);
});

test('senders queue by priority, FIFO within one: 10, 50, 30, 50 are served 50, 50, 30, 10', async (t) => {
  const sys = await boot();
  const p = await pair(sys);
  const prios = [10, 50, 30, 50];
  const clients = [];
  for (const [i, prio] of prios.entries()) clients.push((await newThread(sys, p.clientTask, i + 1, prio)).thread);
  const replies = clients.map((c, i) => {
    c.utcb![0] = i;
    return call(sys, c, CLIENT_GATE, l4_msgtag(0, 1, 0, 0));
  });
  await settle();
  t.deepEqual([...p.server.senders], [clients[1], clients[3], clients[2], clients[0]]);
  const served: number[] = [];
  await wait(sys, p.server);
  for (let n = 0; n < prios.length; n++) {
    served.push(p.server.utcb![0]!);
    if (n + 1 < prios.length) await replyAndWait(sys, p.server, l4_msgtag(0, 0, 0, 0));
  }
  void replyAndWait(sys, p.server, l4_msgtag(0, 0, 0, 0));
  t.deepEqual(served.map((i) => prios[i]), [50, 50, 30, 10]);
  t.deepEqual(served, [1, 3, 2, 0]);
  for (const r of replies) t.is((await r).error, 0);
});

test('senders waiting at an unbound gate queue by priority and reach the thread in that order', async (t) => {
  const sys = await boot();
  const g = await unboundGate(sys);
  const prios = [10, 50, 30];
  const clients = [];
  for (const [i, prio] of prios.entries()) clients.push((await newThread(sys, g.clientTask, i + 1, prio)).thread);
  const replies = clients.map((c, i) => {
    c.utcb![0] = i;
    return call(sys, c, CLIENT_GATE, l4_msgtag(0, 1, 0, 0));
  });
  await settle();
  t.deepEqual([...g.obj.waiters], [clients[1], clients[2], clients[0]]);
  /* bound while the server is busy: the woken senders move on to the server's queue */
  check(l4_rcv_ep_bind_thread(sys.k, sys.root, g.gate, g.serverCap, 0x200), 'bind gate');
  await settle();
  t.deepEqual([...g.server.senders], [clients[1], clients[2], clients[0]]);
  const served: number[] = [];
  await wait(sys, g.server);
  for (let n = 0; n < prios.length; n++) {
    served.push(prios[g.server.utcb![0]!]!);
    if (n + 1 < prios.length) await replyAndWait(sys, g.server, l4_msgtag(0, 0, 0, 0));
  }
  void replyAndWait(sys, g.server, l4_msgtag(0, 0, 0, 0));
  t.deepEqual(served, [50, 30, 10]);
  for (const r of replies) t.is((await r).error, 0);
});

test('a sender cancelled while it waits at an unbound gate leaves it; a later bind serves only the others', async (t) => {
  const sys = await boot();
  const g = await unboundGate(sys);
  const a = await newThread(sys, g.clientTask, 1);
  const b = (await newThread(sys, g.clientTask, 2)).thread;
  const ra = send(sys, a.thread, CLIENT_GATE, L4_IPC_NEVER);
  b.utcb![0] = 0xb;
  const rb = call(sys, b, CLIENT_GATE, l4_msgtag(0, 1, 0, 0));
  await settle();
  check(l4_thread_ex_regs(sys.k, sys.root, a.cap, 0xffffffff, 0xffffffff, L4_THREAD_EX_REGS_CANCEL), 'cancel');
  t.is(await ra, L4_IPC_SECANCELED);
  t.deepEqual([...g.obj.waiters], [b]);
  const request = wait(sys, g.server);
  check(l4_rcv_ep_bind_thread(sys.k, sys.root, g.gate, g.serverCap, 0x200), 'bind gate');
  await request;
  t.is(g.server.utcb![0], 0xb);
  void replyAndWait(sys, g.server, l4_msgtag(0, 0, 0, 0));
  t.is((await rb).error, 0);
});
