/*
 * How many spaces OKL4 holds: the kernel's space table (maxSpaces) and core's thread-ID
 * layout (13 bits of space number beside 5 of thread index, in the 18-bit thread number).
 * When either runs out, core refuses the next PD with an error that names the limit.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { KError, NILSPACE, SpaceCtrl, encodeFpage, makeTag, TagFlag, threadNoOf, MAX_THREAD_NO } from '../../base-okl4/src/kernel/abi.js';
import { DEFAULT_MAX_SPACES, Okl4Kernel } from '../../base-okl4/src/kernel/kernel.js';
import type { Thread } from '../../base-okl4/src/kernel/thread.js';
import { CORE_UTCB_AREA } from '../../base-okl4/src/core/core_thread.js';
import { Okl4CorePlatform } from '../../base-okl4/src/core/platform.js';
import { MAX_SPACES, SPACE_BITS, THREAD_INDEX_BITS, ThreadIds, threadNumber } from '../../base-okl4/src/core/thread_ids.js';
import { ServiceDenied } from '../../base/src/errors.js';
import { UTCB_AREA, UTCB_AREA_LOG2, boot, ipc, newSpace, newThread } from './helpers.js';

const RAM = 16 * 1024 * 1024;

/** A kernel with `maxSpaces` table entries and core started on it as its root server. */
async function coreOn(maxSpaces?: number): Promise<{ k: Okl4Kernel; platform: Okl4CorePlatform }> {
  const pc = new Pc({ ramBytes: RAM });
  const k = new Okl4Kernel(pc, { kernelMemory: 1024 * 1024, maxSpaces });
  k.console = () => {};
  const main = await new Promise<Thread>((resolve) => k.bootRoot('core', CORE_UTCB_AREA, resolve));
  return { k, platform: new Okl4CorePlatform(k, main, RAM) };
}

test('the thread number holds 13 bits of space and 5 of index: 8192 spaces of 32 threads', (t) => {
  t.is(SPACE_BITS + THREAD_INDEX_BITS, 18);
  t.is(MAX_SPACES, 8192);
  t.is(DEFAULT_MAX_SPACES, MAX_SPACES);
  t.is(threadNumber(MAX_SPACES - 1, 31), MAX_THREAD_NO);
  /* spaces below 256 get the numbers of Genode's 8-bit layout */
  t.is(threadNumber(255, 1), (255 << 5) | 1);
  const ids = new ThreadIds();
  const top = ids.alloc(MAX_SPACES - 1)!;
  t.is(threadNoOf(top), (MAX_SPACES - 1) << 5);
  t.is(ids.alloc(MAX_SPACES), undefined);
  t.is(ids.alloc(-1), undefined);
});

test('SpaceControl accepts space IDs below the space table size only', async (t) => {
  const pc = new Pc({ ramBytes: RAM });
  const k = new Okl4Kernel(pc, { kernelMemory: 1024 * 1024, maxSpaces: 4 });
  k.console = () => {};
  const root = await new Promise<Thread>((resolve) => k.bootRoot('root', CORE_UTCB_AREA, resolve));
  const area = encodeFpage(UTCB_AREA, UTCB_AREA_LOG2, 0);
  t.is(k.spaceControl(root, 3, SpaceCtrl.NEW, area), KError.OK);
  t.is(k.spaceControl(root, 4, SpaceCtrl.NEW, area), KError.INVALID_SPACE);
  t.is(k.spaceControl(root, NILSPACE, SpaceCtrl.NEW, area), KError.INVALID_SPACE);
  t.is(k.spaceOf(4), undefined);
  t.throws(() => new Okl4Kernel(pc, { maxSpaces: 0 }), { message: /maxSpaces 0 is not a space-table size/ });
  t.throws(() => new Okl4Kernel(pc, { maxSpaces: 2 ** 32 }), { message: /is not a space-table size/ });
});

test('the highest thread number (space 8191, thread 31) lives and takes IPC', async (t) => {
  const sys = await boot();
  t.is(newSpace(sys, MAX_SPACES - 1), KError.OK);
  t.is(newSpace(sys, MAX_SPACES), KError.INVALID_SPACE);
  t.is(newSpace(sys, 1), KError.OK);
  const top = await newThread(sys, MAX_SPACES - 1, 31);
  t.is(threadNoOf(top.id), MAX_THREAD_NO);
  const sender = await newThread(sys, 1, 1);
  const received = ipc(sys, top, 0, sender.id, makeTag(0, 0, TagFlag.RECEIVE_BLOCK));
  await ipc(sys, sender, top.id, 0, makeTag(7, 1, TagFlag.SEND_BLOCK), [42]);
  const r = await received;
  t.is(r.from, sender.id);
  t.deepEqual(r.words, [42]);
});

test('core refuses the PD beyond a small space table, naming it, and takes PDs again once one is gone', async (t) => {
  const { k, platform } = await coreOn(4);
  const pds = [platform.createPd('a'), platform.createPd('b'), platform.createPd('c')];
  const e = t.throws(() => platform.createPd('d'), { instanceOf: ServiceDenied });
  t.regex(e!.message, /no OKL4 space is left for "d": all 3 space IDs are in use \(the kernel's space table has 4 entries; space 0 is core's\)/);
  pds[1]!.destroy();
  t.is(k.spaceOf(2), undefined);
  const again = platform.createPd('e');
  t.truthy(k.spaceOf(2));
  again.destroy();
  for (const pd of pds) pd.destroy();
});

test('core holds 8191 PDs with the default space table and refuses the next, naming the thread-ID layout', async (t) => {
  const { k, platform } = await coreOn();
  const pds = [];
  for (let i = 1; i < MAX_SPACES; i++) pds.push(platform.createPd(`c${i}`));
  t.truthy(k.spaceOf(MAX_SPACES - 1));
  const e = t.throws(() => platform.createPd('one too many'), { instanceOf: ServiceDenied });
  t.regex(e!.message, /all 8191 space IDs are in use \(thread IDs have 13 bits of space number; space 0 is core's\)/);
  for (const pd of pds) pd.destroy();
  t.is(k.spaceOf(MAX_SPACES - 1), undefined);
});
