/* Fiasco.OC IRQ objects: trigger and receive, counting, binding, hardware lines through the ICU. */
import test from 'ava';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_ICU_CAP, L4_IPC_ENOT_EXISTENT, L4_IPC_RETIMEOUT, L4_PROTO_IRQ,
} from '../../base-fiasco/src/kernel/consts.js';
import {
  l4_factory_create_irq, l4_icu_bind, l4_irq_receive, l4_irq_trigger, l4_rcv_ep_bind_thread,
} from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_msgtag_label } from '../../base-fiasco/src/kernel/msgtag.js';
import { IpcState, type Thread } from '../../base-fiasco/src/kernel/thread.js';
import { L4_IPC_NEVER, L4_IPC_RECV_TIMEOUT_0 } from '../../base-fiasco/src/kernel/timeout.js';
import { boot, check, newThread, settle, slot, type IpcResult, type TestSystem } from './helpers.js';

function receive(sys: TestSystem, t: Thread, irq: number, timeout = L4_IPC_NEVER): Promise<IpcResult> {
  return new Promise((resolve) => l4_irq_receive(sys.k, t, irq, timeout, (tag, label) => resolve({
    tag, label, error: (tag & 0x8000) ? t.utcb![123]! : 0,
  })));
}

async function irqWithThread(sys: TestSystem, label: number) {
  const irq = slot(sys);
  check(l4_factory_create_irq(sys.k, sys.root, L4_BASE_FACTORY_CAP, irq), 'irq');
  const w = await newThread(sys, undefined, 1);
  check(l4_rcv_ep_bind_thread(sys.k, sys.root, irq, w.cap, label), 'bind');
  return { irq, thread: w.thread };
}

test('each trigger is received once, with the IRQ protocol and the bound label', async (t) => {
  const sys = await boot();
  const { irq, thread } = await irqWithThread(sys, 0x77);
  for (let i = 0; i < 3; i++) t.is(l4_msgtag_label(l4_irq_trigger(sys.k, sys.root, irq)), 0);
  for (let i = 0; i < 3; i++) {
    const r = await receive(sys, thread, irq);
    t.is(r.error, 0);
    t.is(l4_msgtag_label(r.tag), L4_PROTO_IRQ);
    t.is(r.label, 0x77);
  }
  t.is((await receive(sys, thread, irq, L4_IPC_RECV_TIMEOUT_0)).error, L4_IPC_RETIMEOUT);
});

test('a trigger wakes the waiting thread; hits before binding are kept', async (t) => {
  const sys = await boot();
  const irq = slot(sys);
  check(l4_factory_create_irq(sys.k, sys.root, L4_BASE_FACTORY_CAP, irq), 'irq');
  l4_irq_trigger(sys.k, sys.root, irq);
  const w = await newThread(sys, undefined, 1);
  check(l4_rcv_ep_bind_thread(sys.k, sys.root, irq, w.cap, 5), 'bind');
  t.is((await receive(sys, w.thread, irq)).label, 5);
  const woken = receive(sys, w.thread, irq);
  await settle();
  t.is(w.thread.state, IpcState.RECEIVING);
  l4_irq_trigger(sys.k, sys.root, irq);
  t.is((await woken).error, 0);
});

test('receiving from an IRQ bound to another thread fails', async (t) => {
  const sys = await boot();
  const { irq } = await irqWithThread(sys, 1);
  const other = (await newThread(sys, undefined, 2)).thread;
  t.is((await receive(sys, other, irq)).error, L4_IPC_ENOT_EXISTENT | 1);
});

test('a hardware line bound at the ICU is unmasked, masked by an occurrence until the next receive acknowledges it', async (t) => {
  const sys = await boot();
  const { pc, k } = sys;
  const LINE = 5; // no device of the PC drives it
  const { irq, thread } = await irqWithThread(sys, LINE);
  t.not(pc.inPort(0x21, 1) & (1 << LINE), 0);
  check(l4_icu_bind(k, sys.root, L4_BASE_ICU_CAP, LINE, irq), 'icu bind');
  t.is(pc.inPort(0x21, 1) & (1 << LINE), 0);
  const first = receive(sys, thread, irq);
  pc.pic.raise(LINE);
  pc.pic.lower(LINE);
  t.is((await first).label, LINE);
  t.is(k.account.count('interrupt'), 1);
  t.not(pc.inPort(0x21, 1) & (1 << LINE), 0);
  /* an edge while masked waits in the PIC and arrives after the acknowledging receive */
  pc.pic.raise(LINE);
  pc.pic.lower(LINE);
  t.is(k.account.count('interrupt'), 1);
  t.is((await receive(sys, thread, irq)).label, LINE);
  t.is(k.account.count('interrupt'), 2);
});
