/* OKL4: L4_ExchangeRegisters halts a running thread at its next kernel entry or return, and resumes it. */
import test from 'ava';
import { ANYTHREAD, EXREG_FLAG_HALT, Exreg, NILTHREAD, TagFlag, makeTag } from '../../base-okl4/src/kernel/abi.js';
import { boot, ipc, newSpace, newThread, settle } from './helpers.js';

const CALL = TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK;
const WAIT = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

test('a halted thread\'s reply and next call are held until ExchangeRegisters resumes it', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  newSpace(sys, 1);
  newSpace(sys, 2);
  const server = await newThread(sys, 1, 1);
  const client = await newThread(sys, 2, 1);
  const halt = (on: boolean) => k.exchangeRegisters(root, client.id, Exreg.HALT, 0, 0, on ? EXREG_FLAG_HALT : 0, 0, NILTHREAD);

  let request = ipc(sys, server, NILTHREAD, ANYTHREAD, WAIT);
  let replied = false;
  const first = ipc(sys, client, server.id, server.id, makeTag(1, 0, CALL)).then(() => (replied = true));
  await request;
  t.is(halt(true).error, 0);
  t.is(k.exchangeRegisters(root, client.id, 0, 0, 0, 0, 0, NILTHREAD).flags & EXREG_FLAG_HALT, EXREG_FLAG_HALT, 'reads back as halted');
  request = ipc(sys, server, client.id, ANYTHREAD, makeTag(0, 0, TagFlag.RECEIVE_BLOCK));
  await settle();
  t.false(replied, 'the reply is held from a halted thread');
  t.is(halt(false).error, 0);
  await first;
  t.true(replied);

  t.is(halt(true).error, 0);
  let arrived = false;
  void request.then(() => (arrived = true));
  const second = ipc(sys, client, server.id, server.id, makeTag(2, 0, CALL));
  await settle();
  t.false(arrived, 'a halted thread\'s call does not reach the server');
  t.is(halt(false).error, 0);
  await request;
  t.true(arrived);
  void ipc(sys, server, client.id, ANYTHREAD, makeTag(0, 0, TagFlag.RECEIVE_BLOCK));
  await second;
  t.is(k.exchangeRegisters(root, client.id, 0, 0, 0, 0, 0, NILTHREAD).flags & EXREG_FLAG_HALT, 0);
});
