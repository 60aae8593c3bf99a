/* OKL4 kernel: interrupts arrive as notify bits; the line stays masked until acknowledged. */
import test from 'ava';
import {
  ANYTHREAD, Acceptor, IrqCtrl, KError, NILTHREAD, NOTIFY_LABEL, TagFlag, Tcr, irqControl, makeTag, mr, tagFlags, tagLabel,
} from '../../base-okl4/src/kernel/abi.js';
import { ThreadState } from '../../base-okl4/src/kernel/thread.js';
import { boot, ipc, newSpace, newThread, settle, ROOT_SPACE } from './helpers.js';

const IRQ = 5; // a line no device of the PC drives
const WAIT = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

test('the kernel programs the PIC: vectors 0x20/0x28, lines masked until registered', async (t) => {
  const { pc } = await boot();
  t.is(pc.pic.vectorOf(0), 0x20);
  t.is(pc.pic.vectorOf(8), 0x28);
  t.is(pc.inPort(0x21, 1), 0xfb);
  t.is(pc.inPort(0xa1, 1), 0xff);
});

test('an interrupt sets the registered notify bit and wakes the waiting thread', async (t) => {
  const sys = await boot();
  const { k, pc, root } = sys;
  const handler = await newThread(sys, ROOT_SPACE, 1);
  handler.utcb[Tcr.ACCEPTOR] = Acceptor.NOTIFY;
  handler.utcb[Tcr.NOTIFY_MASK] = 1 << 3;
  root.utcb[mr(0)] = IRQ;
  t.is(k.interruptControl(root, handler.id, irqControl(IrqCtrl.REGISTER, 3)), KError.OK);
  t.is(pc.inPort(0x21, 1) & (1 << IRQ), 0);

  /* waiting "from itself": nothing but notification can arrive */
  const woken = ipc(sys, handler, NILTHREAD, handler.id, WAIT);
  pc.pic.raise(IRQ);
  pc.pic.lower(IRQ);
  const r = await woken;
  t.is(tagLabel(r.tag), NOTIFY_LABEL);
  t.truthy(tagFlags(r.tag) & TagFlag.NOTIFY);
  t.deepEqual(r.words, [1 << 3]);
  t.is(k.accounting.count('interrupt'), 1);

  /* masked until acknowledged: a second edge waits in the PIC */
  t.not(pc.inPort(0x21, 1) & (1 << IRQ), 0);
  const again = ipc(sys, handler, NILTHREAD, handler.id, WAIT);
  pc.pic.raise(IRQ);
  pc.pic.lower(IRQ);
  await settle();
  t.is(handler.state, ThreadState.RECV_BLOCKED);
  root.utcb[mr(0)] = IRQ;
  t.is(k.interruptControl(root, NILTHREAD, irqControl(IrqCtrl.ACKNOWLEDGE)), KError.OK);
  t.deepEqual((await again).words, [1 << 3]);
});

test('notify bits are kept while the thread does not wait and arrive when it does', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const a = await newThread(sys, 1, 1);
  const b = await newThread(sys, 1, 2);
  b.utcb[Tcr.ACCEPTOR] = Acceptor.NOTIFY;
  b.utcb[Tcr.NOTIFY_MASK] = 0x6;
  t.is(sys.k.notify(a, b.id, 0x4 | 0x1), KError.OK);
  const r = await ipc(sys, b, NILTHREAD, ANYTHREAD, WAIT);
  t.deepEqual(r.words, [0x4]); // bit 0 is not in the mask: it stays pending
  t.is(b.utcb[Tcr.NOTIFY_BITS], 0x1);
});

test('InterruptControl is privileged and refuses the cascade line and taken lines', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  th.utcb[mr(0)] = IRQ;
  t.is(sys.k.interruptControl(th, th.id, irqControl(IrqCtrl.REGISTER, 0)), KError.NO_PRIVILEGE);
  sys.root.utcb[mr(0)] = 2;
  t.is(sys.k.interruptControl(sys.root, th.id, irqControl(IrqCtrl.REGISTER, 0)), KError.INVALID_PARAM);
  sys.root.utcb[mr(0)] = IRQ;
  t.is(sys.k.interruptControl(sys.root, th.id, irqControl(IrqCtrl.REGISTER, 0)), KError.OK);
  sys.root.utcb[mr(0)] = IRQ;
  t.is(sys.k.interruptControl(sys.root, sys.root.id, irqControl(IrqCtrl.REGISTER, 0)), KError.INVALID_PARAM);
});
