/* Fiasco.OC kernel time: halts, holds, time slices, interrupts from the PIT and IPC timeouts in virtual time, the KIP clock. */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { L4_BASE_FACTORY_CAP, L4_BASE_ICU_CAP, L4_BASE_TASK_CAP, L4_IPC_RETIMEOUT, UTCB_TCR_ERRORCODE } from '../../base-fiasco/src/kernel/consts.js';
import { Fiasco } from '../../base-fiasco/src/kernel/kernel.js';
import { l4_factory_create_irq, l4_icu_bind, l4_irq_receive, l4_rcv_ep_bind_thread, l4_task_cap_valid } from '../../base-fiasco/src/kernel/l4sys.js';
import { IpcState, type Thread } from '../../base-fiasco/src/kernel/thread.js';
import { L4_IPC_NEVER, L4_IPC_TIMEOUT_NEVER, l4_timeout, l4_timeout_from_us } from '../../base-fiasco/src/kernel/timeout.js';
import { boot, check, newThread, settle, slot, wait } from './helpers.js';

test('with every thread blocked and no event pending, the kernel reports a halt', async (t) => {
  const sys = await boot();
  const halted = new Promise<void>((r) => sys.k.onHalt(r));
  void wait(sys, sys.root);
  await halted;
  t.true(sys.k.halted);
});

test('host work in flight (a hold) is not a halt', async (t) => {
  const sys = await boot();
  let halts = 0;
  sys.k.onHalt(() => halts++);
  const release = sys.k.hold();
  void wait(sys, sys.root);
  for (let i = 0; i < 5; i++) await settle();
  t.is(halts, 0);
  release();
  for (let i = 0; i < 5; i++) await settle();
  t.is(halts, 1);
});

test('after a time slice user-level work waits until the host event loop ran', async (t) => {
  const pc = new Pc({ ramBytes: 16 << 20 });
  const k = new Fiasco(pc, { kernelMemory: 1 << 20, sliceOps: 10 });
  const root = await new Promise<Thread>((r) => k.bootRoot('root', k.rootUtcbArea.base, r));
  for (let i = 0; i < 12; i++) l4_task_cap_valid(k, root, L4_BASE_TASK_CAP, L4_BASE_TASK_CAP);
  let ran = false;
  k.userResume(() => (ran = true));
  t.false(ran);
  await settle();
  t.true(ran);
});

test('virtual time jumps to the PIT\'s terminal count, whose interrupt wakes the thread bound to line 0', async (t) => {
  const sys = await boot();
  const { k, pc, root } = sys;
  const irq = slot(sys);
  check(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq), 'irq');
  const w = await newThread(sys, undefined, 1);
  check(l4_rcv_ep_bind_thread(k, root, irq, w.cap, 0), 'bind');
  check(l4_icu_bind(k, root, L4_BASE_ICU_CAP, 0, irq), 'icu');
  const woken = new Promise<number>((r) => l4_irq_receive(k, w.thread, irq, L4_IPC_NEVER, (tag) => r(tag)));
  /* PIT channel 0, mode 0 (interrupt on terminal count), 11932 ticks: 10 ms */
  const before = k.tsc();
  pc.outPort(0x43, 1, 0x30);
  pc.outPort(0x40, 1, 11932 & 0xff);
  pc.outPort(0x40, 1, 11932 >> 8);
  t.is((await woken) & 0x8000, 0);
  const ms = ((k.tsc() - before) / pc.clock.tscHz) * 1000;
  t.true(ms >= 9.9 && ms < 10.5, `${ms} ms`);
});

test('a receive timeout ends when its time has come, even while the CPU is busy with system calls', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const w = await newThread(sys, undefined, 1);
  const irq = slot(sys);
  check(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq), 'irq');
  check(l4_rcv_ep_bind_thread(k, root, irq, w.cap, 0), 'bind');
  const ended = new Promise<number>((r) => l4_irq_receive(k, w.thread, irq, l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(1000)), () => r(w.thread.utcb![UTCB_TCR_ERRORCODE]!)));
  t.is(w.thread.state, IpcState.RECEIVING);
  /* the root thread keeps calling the kernel, the idle loop never gets to run */
  const until = k.tsc() + (2 * sys.pc.clock.tscHz) / 1000;
  while (k.tsc() < until) l4_task_cap_valid(k, root, L4_BASE_TASK_CAP, L4_BASE_TASK_CAP);
  t.is(w.thread.state, IpcState.IDLE, 'the timeout ended the wait');
  t.is(await ended, L4_IPC_RETIMEOUT);
});

test('the KIP clock is the TSC in whole microseconds since boot', (t) => {
  const pc = new Pc({ ramBytes: 16 << 20 });
  const k = new Fiasco(pc, { kernelMemory: 1 << 20 });
  pc.clock.advance(pc.clock.tscHz * 3 + pc.clock.tscHz / 2_000_000);
  t.is(k.kipClock(), 3_000_000);
  pc.clock.advance(pc.clock.tscHz / 1_000_000);
  t.is(k.kipClock(), 3_000_001);
});
