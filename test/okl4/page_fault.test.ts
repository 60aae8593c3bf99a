/*
 * OKL4 page faults: the kernel sends the faulting thread's pager a page-fault IPC on its
 * behalf (label -2 << 4 | rwx, MR1 the address, MR2 the IP), the pager maps with MapControl
 * and replies with an empty message, and the thread runs again. Then core's pager thread
 * on top of it: map, wait for a fault handler (other faults are served meanwhile), fail.
 */
import test from 'ava';
import type { Pager, PagerAnswer } from '../../base/src/core/platform.js';
import {
  ANYTHREAD, Exreg, IpcErr, IpcPhase, KError, MapCtrl, NILTHREAD, PAGE_FAULT_LABEL, PAGE_SIZE, Rights, TagFlag,
  encodeFpage, encodePhysDesc, ipcErrorWord, makeTag, mr, tagLabel, tagUntyped,
} from '../../base-okl4/src/kernel/abi.js';
import { ROOT_SPACE } from '../../base-okl4/src/kernel/kernel.js';
import { ThreadState, type Thread } from '../../base-okl4/src/kernel/thread.js';
import type { CoreEnv } from '../../base-okl4/src/core/core_thread.js';
import { PagerThread, type PagedPd } from '../../base-okl4/src/core/pager.js';
import { ThreadIds } from '../../base-okl4/src/core/thread_ids.js';
import { boot, ipc, newSpace, newThread, settle, type TestSystem } from './helpers.js';

const WAIT = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);
const REPLY = makeTag(0, 0, 0);
const PHYS = 0x20_0000; // above the test kernel's 1 MiB of kernel memory
const VA = 0x1000_0000;

function mapOne(sys: TestSystem, self: Thread, space: number, vaddr: number, phys: number, log2: number, rights: number): KError {
  self.utcb[mr(0)] = encodePhysDesc(phys);
  self.utcb[mr(1)] = encodeFpage(vaddr, log2, rights);
  return sys.k.mapControl(self, space, MapCtrl.MODIFY);
}

/** A thread in space 1 whose pager is a thread of the root server. */
async function setup(): Promise<{ sys: TestSystem; pager: Thread; th: Thread }> {
  const sys = await boot();
  newSpace(sys, 1);
  sys.k.machine.memory.back(PHYS, 4 * PAGE_SIZE);
  const pager = await newThread(sys, ROOT_SPACE, 2);
  const th = await newThread(sys, 1, 1);
  setPagerOf(sys, th, pager.id);
  return { sys, pager, th };
}

function setPagerOf(sys: TestSystem, th: Thread, pager: number): void {
  const r = sys.k.exchangeRegisters(sys.root, th.id, Exreg.SET_PAGER, 0, 0, 0, 0, pager);
  if (r.error !== KError.OK) throw new Error(`ExchangeRegisters failed: ${r.error}`);
}

function fault(sys: TestSystem, th: Thread, addr: number, access: 'read' | 'write' | 'exec'): Promise<number> {
  return new Promise((resolve) => sys.k.pageFault(th, addr, access, resolve));
}

test('a fault reaches the pager as an IPC; the mapping its reply follows makes the access succeed', async (t) => {
  const { sys, pager, th } = await setup();
  t.is(sys.k.memoryAccessible(th, VA, 'read'), 0);
  t.is(sys.k.memoryView(th, VA, 4), undefined);
  th.utcb[mr(1)] = 0x1234; // the thread's own message registers survive the fault

  const request = ipc(sys, pager, NILTHREAD, ANYTHREAD, WAIT);
  const resolved = fault(sys, th, VA + 0x10, 'read');
  const got = await request;
  t.is(got.from, th.id);
  t.is(tagLabel(got.tag), PAGE_FAULT_LABEL | Rights.R);
  t.is(tagUntyped(got.tag), 2);
  t.deepEqual(got.words, [VA + 0x10, th.ip]);
  t.is(th.state, ThreadState.RECV_BLOCKED);

  /* the pager maps read-only, then answers with an empty message */
  t.is(mapOne(sys, pager, 1, VA, PHYS, 12, Rights.R), KError.OK);
  void ipc(sys, pager, th.id, NILTHREAD, REPLY);
  t.is(await resolved, 0);
  t.is(th.state, ThreadState.RUNNING);
  t.is(th.utcb[mr(1)], 0x1234);
  t.is(sys.k.memoryAccessible(th, VA + 0x10, 'read'), PAGE_SIZE - 0x10);
  t.truthy(sys.k.memoryView(th, VA, 4));
});

test('a write to a read-only mapping faults with the write bit; the pager upgrades it', async (t) => {
  const { sys, pager, th } = await setup();
  t.is(mapOne(sys, sys.root, 1, VA, PHYS, 13, Rights.R), KError.OK);
  t.is(sys.k.memoryAccessible(th, VA, 'read'), 2 * PAGE_SIZE);
  t.is(sys.k.memoryAccessible(th, VA, 'write'), 0);
  t.is(sys.k.memoryView(th, VA, 4, true), undefined);

  const request = ipc(sys, pager, NILTHREAD, ANYTHREAD, WAIT);
  const resolved = fault(sys, th, VA, 'write');
  const got = await request;
  t.is(tagLabel(got.tag), PAGE_FAULT_LABEL | Rights.W);
  t.is(mapOne(sys, pager, 1, VA, PHYS, 12, Rights.RW), KError.OK);
  void ipc(sys, pager, th.id, NILTHREAD, REPLY);
  t.is(await resolved, 0);
  t.is(sys.k.memoryAccessible(th, VA, 'write'), PAGE_SIZE);
  t.truthy(sys.k.memoryView(th, VA, 4, true));
});

test('a fault with no pager is refused cleanly; the thread goes on', async (t) => {
  const { sys, pager, th } = await setup();
  setPagerOf(sys, th, NILTHREAD);
  t.is(await fault(sys, th, VA, 'read'), ipcErrorWord(IpcErr.NON_EXIST, IpcPhase.SEND));
  t.is(th.state, ThreadState.RUNNING);

  /* a pager that is gone is no pager either */
  setPagerOf(sys, th, pager.id);
  t.is(sys.k.threadControl(sys.root, pager.id, 0xffffffff, NILTHREAD, NILTHREAD, 0), KError.OK);
  t.is(await fault(sys, th, VA, 'read'), ipcErrorWord(IpcErr.NON_EXIST, IpcPhase.SEND));
  t.is(th.state, ThreadState.RUNNING);
  /* the thread can still make IPC */
  const r = await ipc(sys, th, th.id, NILTHREAD, makeTag(0, 0, 0));
  t.truthy(r);
});

test('an unanswered fault keeps the thread blocked; a pager deleted meanwhile ends the fault with an error', async (t) => {
  const { sys, pager, th } = await setup();
  const request = ipc(sys, pager, NILTHREAD, ANYTHREAD, WAIT);
  let settled: number | undefined;
  void fault(sys, th, VA, 'exec').then((e) => (settled = e));
  const got = await request;
  t.is(tagLabel(got.tag), PAGE_FAULT_LABEL | Rights.X);
  await settle();
  t.is(settled, undefined);
  t.is(th.state, ThreadState.RECV_BLOCKED);
  t.is(sys.k.threadControl(sys.root, pager.id, 0xffffffff, NILTHREAD, NILTHREAD, 0), KError.OK);
  await settle();
  t.is(settled, ipcErrorWord(IpcErr.ABORTED, IpcPhase.RECEIVE));
});

/* ------------------------------------------------------------------ core's pager thread */

interface FakePd extends PagedPd { maps: Array<{ vaddr: number; phys: number; size: number; rights: number }> }

function fakePd(sys: TestSystem, label: string, space: number): FakePd {
  const maps: FakePd['maps'] = [];
  return {
    label, alive: true, maps,
    map: () => false, unmap: () => {}, assignParent: () => true, destroy: () => {},
    mapFault(vaddr, phys, size, rights) {
      maps.push({ vaddr, phys, size, rights });
      return mapOne(sys, sys.root, space, vaddr, phys, Math.log2(size), rights) === KError.OK;
    },
  } as FakePd;
}

async function corePager(answer: Pager) {
  const sys = await boot();
  const ids = new ThreadIds();
  ids.alloc(ROOT_SPACE); // the root server's own ID
  const reports: string[] = [];
  const env: CoreEnv = { kernel: sys.k, main: sys.root, ids, reportFault: (_pd, reason) => reports.push(reason) };
  const pager = new PagerThread(env, answer);
  await settle();
  sys.k.machine.memory.back(PHYS, 4 * PAGE_SIZE);
  return { sys, pager, reports };
}

async function faulterIn(sys: TestSystem, pager: PagerThread, space: number, pd: PagedPd): Promise<Thread> {
  newSpace(sys, space);
  const th = await newThread(sys, space, 1);
  setPagerOf(sys, th, pager.tid);
  pager.add(th.id, pd, 'main');
  return th;
}

test('core\'s pager thread maps what core\'s pager says, and serves other faults while one waits for a fault handler', async (t) => {
  let handlerDone!: () => void;
  const handler = new Promise<void>((r) => (handlerDone = r));
  let attached = false;
  const { sys, pager } = await corePager((pd, f): PagerAnswer => {
    if (pd.label === 'managed' && !attached) return { kind: 'wait', retry: handler };
    return { kind: 'map', vaddr: f.addr & ~0xfff, phys: PHYS + (pd.label === 'managed' ? PAGE_SIZE : 0), size: PAGE_SIZE, writeable: f.access === 'write', executable: false };
  });
  const pdA = fakePd(sys, 'managed', 1);
  const pdB = fakePd(sys, 'plain', 2);
  const a = await faulterIn(sys, pager, 1, pdA);
  const b = await faulterIn(sys, pager, 2, pdB);

  let aDone: number | undefined;
  void fault(sys, a, VA, 'read').then((e) => (aDone = e));
  await settle();
  t.is(aDone, undefined);
  t.is(a.state, ThreadState.RECV_BLOCKED);

  /* another PD's fault is answered while the first one waits */
  t.is(await fault(sys, b, VA + 0x20, 'write'), 0);
  t.deepEqual(pdB.maps, [{ vaddr: VA, phys: PHYS, size: PAGE_SIZE, rights: Rights.RW }]);
  t.truthy(sys.k.memoryView(b, VA + 0x20, 4, true));

  /* the fault handler attached something: core's pager thread is woken and answers the first fault */
  attached = true;
  handlerDone();
  for (let i = 0; i < 5 && aDone === undefined; i++) await settle();
  t.is(aDone, 0);
  t.deepEqual(pdA.maps, [{ vaddr: VA, phys: PHYS + PAGE_SIZE, size: PAGE_SIZE, rights: Rights.R }]);
  t.is(sys.k.memoryAccessible(a, VA, 'read'), PAGE_SIZE);
});

test('core\'s pager thread reports an unresolvable fault and leaves the faulter blocked; it ignores unknown senders', async (t) => {
  const { sys, pager, reports } = await corePager(() => ({ kind: 'fail', reason: 'no region is attached there' }));
  const pd = fakePd(sys, 'broken', 1);
  const th = await faulterIn(sys, pager, 1, pd);
  let done: number | undefined;
  void fault(sys, th, VA, 'read').then((e) => (done = e));
  await settle();
  await settle();
  t.deepEqual(reports, ['no region is attached there']);
  t.is(done, undefined);
  t.is(th.state, ThreadState.RECV_BLOCKED);

  /* a thread core does not know sends a message that looks like a fault: nothing is mapped, no answer */
  newSpace(sys, 2);
  const stranger = await newThread(sys, 2, 1);
  stranger.utcb[mr(0)] = makeTag(PAGE_FAULT_LABEL | Rights.R, 2, TagFlag.SEND_BLOCK);
  stranger.utcb[mr(1)] = VA;
  stranger.utcb[mr(2)] = 0;
  let sent = false;
  sys.k.ipc(stranger, pager.tid, NILTHREAD, () => (sent = true));
  await settle();
  t.true(sent);
  t.deepEqual(pd.maps, []);
  t.is(reports.length, 1);
});
