/* OKL4 kernel: global thread IDs are number + version; a stale ID names nothing. */
import test from 'ava';
import {
  IpcErr, IpcPhase, KError, NILSPACE, NILTHREAD, PAGE_SIZE, TagFlag, globalId, ipcErrorWord, makeTag, threadNoOf, versionOf,
} from '../../base-okl4/src/kernel/abi.js';
import { UTCB_AREA, boot, ipc, newSpace, newThread } from './helpers.js';

test('an ID is 18 bits of thread number and 14 bits of version', (t) => {
  const id = globalId((5 << 5) | 3, 7);
  t.is(threadNoOf(id), (5 << 5) | 3);
  t.is(versionOf(id), 7);
  t.is(globalId(0x3ffff, 0x3fff), 0xffffffff);
});

test('a deleted thread\'s ID becomes invalid; its number returns with a new version', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  newSpace(sys, 1);
  const old = await newThread(sys, 1, 1, 1);
  const caller = await newThread(sys, 1, 2);
  t.is(k.threadControl(root, old.id, NILSPACE, NILTHREAD, NILTHREAD, 0), KError.OK);
  t.is(k.threads.lookup(old.id), undefined);

  /* the same number with the same version is refused: the old ID must stay invalid */
  t.is(k.threadControl(root, old.id, 1, root.id, NILTHREAD, UTCB_AREA + PAGE_SIZE), KError.INVALID_THREAD);
  const fresh = await newThread(sys, 1, 1, 2);
  t.is(threadNoOf(fresh.id), threadNoOf(old.id));

  /* IPC to the stale ID fails although a thread with that number lives */
  const r = await ipc(sys, caller, old.id, NILTHREAD, makeTag(0, 0, TagFlag.SEND_BLOCK));
  t.is(r.error, ipcErrorWord(IpcErr.NON_EXIST, IpcPhase.SEND));
  t.is(k.threads.lookup(fresh.id), fresh);
});
