/* OKL4 kernel: SpaceControl and ThreadControl, their privilege and their checks. */
import test from 'ava';
import { KError, NILSPACE, NILTHREAD, PAGE_SIZE, SpaceCtrl, Tcr, encodeFpage, globalId } from '../../base-okl4/src/kernel/abi.js';
import { ROOTSERVER } from '../../base-okl4/src/kernel/kernel.js';
import { ThreadState } from '../../base-okl4/src/kernel/thread.js';
import { UTCB_AREA, boot, newSpace, newThread } from './helpers.js';

test('the root server is thread 0.1 in the privileged space 0', async (t) => {
  const { k, root } = await boot();
  t.is(root.id, ROOTSERVER);
  t.true(root.space.privileged);
  t.is(root.utcb[Tcr.MY_GLOBAL_ID], ROOTSERVER);
  t.is(k.threads.lookup(ROOTSERVER), root);
});

test('SpaceControl creates a space once and checks its UTCB area', async (t) => {
  const sys = await boot();
  t.is(newSpace(sys, 1), KError.OK);
  t.is(newSpace(sys, 1), KError.INVALID_SPACE);
  /* a UTCB area not aligned to its size */
  t.is(sys.k.spaceControl(sys.root, 2, SpaceCtrl.NEW, encodeFpage(0x1000, 16, 0)), KError.UTCB_AREA);
  t.truthy(sys.k.spaceOf(1));
});

test('ThreadControl creates an inactive thread whose UTCB appears in its space', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  newSpace(sys, 1);
  const id = globalId((1 << 5) | 1, 1);
  t.is(k.threadControl(root, id, 1, root.id, NILTHREAD, UTCB_AREA + PAGE_SIZE), KError.OK);
  const th = k.threads.lookup(id)!;
  t.is(th.state, ThreadState.INACTIVE);
  t.is(th.utcb[Tcr.MY_GLOBAL_ID], id);
  /* the UTCB is mapped at its location, and nowhere else in the space */
  t.is(k.spaceOf(1)!.translate(UTCB_AREA + PAGE_SIZE, 4), th.utcbPhys);
  t.is(k.spaceOf(1)!.translate(UTCB_AREA, 4), undefined);
});

test('ThreadControl refuses a taken ID, a taken UTCB slot and a UTCB outside the area', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  newSpace(sys, 1);
  t.is(k.threadControl(root, globalId(33, 1), 1, root.id, NILTHREAD, UTCB_AREA), KError.OK);
  t.is(k.threadControl(root, globalId(34, 1), 1, root.id, NILTHREAD, UTCB_AREA), KError.UTCB_AREA);
  t.is(k.threadControl(root, globalId(34, 1), 1, root.id, NILTHREAD, 0x1000), KError.UTCB_AREA);
  t.is(k.threadControl(root, globalId(34, 1), 7, root.id, NILTHREAD, UTCB_AREA + PAGE_SIZE), KError.INVALID_SPACE);
  t.is(k.threadControl(root, globalId(34, 0), 1, root.id, NILTHREAD, UTCB_AREA + PAGE_SIZE), KError.INVALID_THREAD);
  t.is(root.utcb[Tcr.ERROR_CODE], KError.INVALID_THREAD);
});

test('only the root server may use SpaceControl and ThreadControl', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  t.is(sys.k.spaceControl(th, 2, SpaceCtrl.NEW, encodeFpage(UTCB_AREA, 20, 0)), KError.NO_PRIVILEGE);
  t.is(sys.k.threadControl(th, globalId(35, 1), 1, th.id, NILTHREAD, UTCB_AREA + 3 * PAGE_SIZE), KError.NO_PRIVILEGE);
  t.is(th.utcb[Tcr.ERROR_CODE], KError.NO_PRIVILEGE);
});

test('a space with threads cannot be deleted; deleting its threads first works', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  t.is(k.spaceControl(root, 1, SpaceCtrl.DELETE, 0), KError.SPACE_NOT_EMPTY);
  t.is(k.threadControl(root, th.id, NILSPACE, NILTHREAD, NILTHREAD, 0), KError.OK);
  t.false(th.alive);
  t.is(k.spaceControl(root, 1, SpaceCtrl.DELETE, 0), KError.OK);
  t.is(k.spaceOf(1), undefined);
});

test('ExchangeRegisters starts a thread at its ip and sets the user-defined handle', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 2);
  t.is(th.state, ThreadState.RUNNING);
  const r = sys.k.exchangeRegisters(sys.root, th.id, 0x040 /* SET_USER_HANDLE */, 0, 0, 0, 0xabcd, NILTHREAD);
  t.is(r.error, KError.OK);
  t.is(th.utcb[Tcr.USER_DEFINED_HANDLE], 0xabcd);
  /* a thread of another space may not touch it */
  newSpace(sys, 2);
  const other = await newThread(sys, 2, 1);
  t.is(sys.k.exchangeRegisters(other, th.id, 0x200, 0, 0, 0, 0, NILTHREAD).error, KError.NO_PRIVILEGE);
});
