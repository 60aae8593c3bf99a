/*
 * The parent's queue of requests for a child server: fetched in order, answered once,
 * withdrawn while unfetched, denied when the server goes away, and a hostile server's
 * answers that do not fit the request are refused.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { BadArgument } from '../../base/src/errors.js';
import { ServerRequests } from '../../base/src/lib/server_requests.js';
import { ServerOp, SessionState } from '../../base/src/session/parent/session.js';

const sigh = Capability.invalid() as never;
const someCap = { valid: true } as unknown as Capability<unknown>;

function queue() {
  let signals = 0;
  const q = new ServerRequests(() => signals++);
  q.setSigh(sigh);
  return { q, signals: () => signals };
}

test('requests are fetched in order, each after its quota moved', async (t) => {
  const { q, signals } = queue();
  const moved: number[] = [];
  const a = q.post(ServerOp.CREATE, 'S', 'label="a"', async () => void moved.push(1));
  const b = q.post(ServerOp.CREATE, 'S', 'label="b"', async () => void moved.push(2));
  t.is(signals(), 2);
  t.deepEqual(await q.fetch(), { op: ServerOp.CREATE, id: a.id, service: 'S' });
  t.deepEqual(moved, [1]);
  t.is(q.argsOf(a.id), 'label="a"');
  t.throws(() => q.argsOf(b.id), { instanceOf: BadArgument }, 'not fetched yet');
  t.is((await q.fetch()).id, b.id);
  t.is((await q.fetch()).op, ServerOp.NONE);
  t.is(q.pending, 2);
  q.deliver(a.id, someCap);
  t.is((await a.answer).state, SessionState.AVAILABLE);
  t.throws(() => q.deliver(a.id, someCap), { instanceOf: BadArgument }, 'answered once');
  q.respond(b.id, SessionState.INSUFFICIENT_RAM_QUOTA, 'more');
  t.deepEqual(await b.answer, { state: SessionState.INSUFFICIENT_RAM_QUOTA, reason: 'more' });
  t.is(q.pending, 0);
});

test('a hostile server cannot answer with what does not fit', async (t) => {
  const { q } = queue();
  const c = q.post(ServerOp.CREATE, 'S', '');
  const x = q.post(ServerOp.CLOSE, 'S', '', undefined, 7);
  await q.fetch();
  await q.fetch();
  t.throws(() => q.respond(c.id, SessionState.AVAILABLE, ''), { instanceOf: BadArgument }, 'a create needs a capability');
  t.throws(() => q.deliver(c.id, Capability.invalid()), { instanceOf: BadArgument });
  t.throws(() => q.deliver(7, someCap), { instanceOf: BadArgument }, 'a close gets no capability');
  t.throws(() => q.respond(7, SessionState.DENIED, ''), { instanceOf: BadArgument });
  t.throws(() => q.respond(12345, SessionState.CLOSED, ''), { instanceOf: BadArgument });
  t.throws(() => q.argsOf(7), { instanceOf: BadArgument });
  q.respond(7, SessionState.CLOSED, '');
  t.is((await x.answer).state, SessionState.CLOSED);
});

test('a request not fetched yet can be withdrawn; a fetched one cannot', async (t) => {
  const { q } = queue();
  const a = q.post(ServerOp.CREATE, 'S', '');
  const b = q.post(ServerOp.CREATE, 'S', '');
  await q.fetch();
  t.false(q.withdraw(a));
  t.true(q.withdraw(b));
  t.is((await q.fetch()).op, ServerOp.NONE);
});

test('when the server goes away, every unanswered request is denied, and later ones at once', async (t) => {
  const { q } = queue();
  const a = q.post(ServerOp.CREATE, 'S', '');
  const b = q.post(ServerOp.CREATE, 'S', '');
  await q.fetch();
  q.fail('"srv" is gone');
  t.deepEqual(await a.answer, { state: SessionState.DENIED, reason: '"srv" is gone' });
  t.deepEqual(await b.answer, { state: SessionState.DENIED, reason: '"srv" is gone' });
  t.deepEqual(await q.post(ServerOp.CREATE, 'S', '').answer, { state: SessionState.DENIED, reason: '"srv" is gone' });
  t.is(q.pending, 0);
});

test('a request whose quota cannot move is denied and skipped', async (t) => {
  const { q } = queue();
  const a = q.post(ServerOp.CREATE, 'S', '', async () => { throw new Error('out of quota'); });
  const b = q.post(ServerOp.CREATE, 'S', '');
  t.is((await q.fetch()).id, b.id);
  t.deepEqual(await a.answer, { state: SessionState.DENIED, reason: 'out of quota' });
});
