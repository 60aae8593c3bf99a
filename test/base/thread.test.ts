/*
 * Thread (base/src/lib/thread.ts) on a fake runtime: calls go through the thread's own
 * caller (waiting until the kernel ran the thread), the entry's end frees the kernel
 * thread, kill ends it from outside, and a refused creation leaves nothing behind.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { OutOfCaps } from '../../base/src/errors.js';
import type { Env } from '../../base/src/lib/env.js';
import { Thread } from '../../base/src/lib/thread.js';
import type { IpcCaller } from '../../base/src/rpc/client.js';
import type { MsgBuffer } from '../../base/src/rpc/msgbuf.js';

function fakeEnv(opts: { capsLeft?: number; runAtStart?: IpcCaller } = {}) {
  let capsLeft = opts.capsLeft ?? 8;
  const killed: unknown[] = [];
  const released: unknown[] = [];
  let slotsBack = 0;
  let run: ((caller: IpcCaller) => void) | undefined;
  const cpu = {
    createThread: async () => {
      if (capsLeft === 0) throw new OutOfCaps('no caps left');
      capsLeft--;
      return new Capability({ key: 'thread' } as never);
    },
    killThread: async (cap: unknown) => {
      killed.push(cap);
      capsLeft++;
    },
  };
  const runtime = {
    startThread: async (_cap: unknown, r: (caller: IpcCaller) => void) => {
      run = r;
      /* the kernel may run the thread before start() returns to the starter */
      if (opts.runAtStart) r(opts.runAtStart);
      await new Promise((done) => setImmediate(done));
      return { release: () => slotsBack++ };
    },
    release: (cap: unknown) => released.push(cap),
    diag: () => {},
  };
  const env = { cpu, runtime, pd: { cap: Capability.invalid() } } as unknown as Env;
  return { env, killed, released, caps: () => capsLeft, slotsBack: () => slotsBack, schedule: (c: IpcCaller) => run!(c) };
}

/** A caller that answers every call with its own name. */
function namedCaller(name: string): IpcCaller {
  return { call: async <R>(_d: Capability<unknown>, _f: (m: MsgBuffer) => void, take: (m: MsgBuffer) => R) => take({ name } as never) };
}

const ask = (c: IpcCaller) => c.call(new Capability({} as never), () => {}, (m) => (m as unknown as { name: string }).name);

test('a call made before the kernel ran the thread waits, then goes through the thread\'s caller', async (t) => {
  const f = fakeEnv();
  let finish!: () => void;
  const th = new Thread(f.env, 'worker', () => new Promise<void>((r) => (finish = r)));
  await th.start();
  t.is(th.state, 'starting');
  const answer = ask(th.caller);
  f.schedule(namedCaller('worker-utcb'));
  t.is(th.state, 'running');
  t.is(await answer, 'worker-utcb');
  finish();
  await th.join();
});

test('the entry\'s result ends the thread: join returns it, the kernel thread and its quota are given back', async (t) => {
  const f = fakeEnv({ capsLeft: 1 });
  const th = new Thread(f.env, 'worker', async (self) => `${await ask(self.caller)} done`);
  await th.start();
  t.is(f.caps(), 0);
  f.schedule(namedCaller('own'));
  t.is(await th.join(), 'own done');
  t.is(th.state, 'exited');
  t.is(f.killed.length, 1);
  t.is(f.released.length, 1);
  t.is(f.caps(), 1);
  t.is(f.slotsBack(), 1, 'the backend got the slot back');
  await t.throwsAsync(ask(th.caller), { message: /is gone/ });
});

test('an entry that ends before start() returned still gives its slot back', async (t) => {
  const f = fakeEnv({ runAtStart: namedCaller('fast') });
  const th = new Thread(f.env, 'fast', () => 'quick');
  await th.start();
  t.is(await th.join(), 'quick');
  t.is(f.slotsBack(), 1);
  t.is(f.killed.length, 1);
});

test('kill ends a thread blocked in a call: join rejects, its entry does not go on calling', async (t) => {
  const f = fakeEnv();
  const never = new Promise<string>(() => {});
  let afterBlock = false;
  const th = new Thread(f.env, 'blocked', async (self) => {
    await self.caller.call(new Capability({} as never), () => {}, () => never);
    afterBlock = true;
  });
  await th.start();
  f.schedule({ call: () => never as never });
  await th.kill();
  await t.throwsAsync(th.join(), { message: /was killed/ });
  t.is(th.state, 'killed');
  t.false(afterBlock);
  t.is(f.killed.length, 1);
});

test('a thread killed before the kernel ran it never runs its entry', async (t) => {
  const f = fakeEnv();
  let ran = false;
  const th = new Thread(f.env, 'early', () => { ran = true; });
  await th.start();
  await th.kill();
  f.schedule(namedCaller('late'));
  t.false(ran);
  await t.throwsAsync(th.join());
});

test('a CPU session without quota refuses the thread; nothing is kept', async (t) => {
  const f = fakeEnv({ capsLeft: 0 });
  const th = new Thread(f.env, 'poor', () => 1);
  await t.throwsAsync(th.start(), { instanceOf: OutOfCaps });
  t.is(th.state, 'created');
  t.is(f.killed.length, 0);
});
