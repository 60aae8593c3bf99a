/*
 * test-threads: a component with three threads besides its main thread, each calling
 * through its own UTCB. Thread a blocks in a call to gate one that cannot return yet;
 * meanwhile thread b's call to gate two returns, main calls on, and c runs and ends.
 * With one calling thread per component (all calls queued on one UTCB), b's call would
 * wait behind a's, the gate would never be opened, and the scenario would time out.
 * Then: the CPU session pays each thread (a fourth is refused), a thread's own calls
 * stay in order, ending and joining threads, threads coming and going beyond the stack
 * area's slots, and killing a thread blocked in a call.
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { Thread } from '../../lib/thread.js';
import { CpuSession } from '../../session/cpu/session.js';
import { LogSession } from '../../session/log/session.js';
import { GateSession } from './session.js';

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const one = await Connection.open(env, GateSession, { label: 'one' });
  const two = await Connection.open(env, GateSession, { label: 'two' });
  /* the threads' own CPU session: its capability and three threads */
  const cpu = await Connection.open(env, CpuSession, { label: 'threads', capQuota: 4 });
  const opener = [await one.session.opener(), await two.session.opener()];

  /* the gates tell when a caller arrived, so main knows a thread is blocked in its call */
  let arrived = 0;
  let arrival: (() => void) | undefined;
  const watcher = await env.signalHandler((count) => {
    arrived += count;
    arrival?.();
  });
  const arrivals = async (n: number) => {
    while (arrived < n) await new Promise<void>((r) => (arrival = r));
  };
  await one.session.watch(watcher.cap);
  await two.session.watch(watcher.cap);

  /* a's second call queues behind its first: a thread makes one call at a time */
  let aSecondDone = false;
  const a = new Thread(env, 'a', async (t) => {
    const passed = t.client(one).pass('a');
    const second = t.client(log).write('a: its second call, after its first').then((n) => { aSecondDone = true; return n; });
    return { passed: await passed, second: await second };
  }, { cpu: cpu.session });
  await a.start();
  await arrivals(1);
  await say('a is blocked in its call to gate one');

  const b = new Thread(env, 'b', async (t) => {
    const gate = t.client(two);
    await t.client(log).write(`b: echo ${await gate.echo(41)} returned while a waits`);
    return gate.pass('b');
  }, { cpu: cpu.session });
  await b.start();
  await arrivals(2);
  await say('main: calls while a and b are blocked in theirs');

  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const c = new Thread(env, 'c', async (t) => {
    await started;
    await t.client(log).write('c: runs and ends');
    return 'c is done';
  }, { cpu: cpu.session });
  await c.start();

  /* the CPU session paid a, b and c: it has nothing left for a fourth thread */
  try {
    await new Thread(env, 'd', () => undefined, { cpu: cpu.session }).start();
    await say('Error: a fourth thread was created beyond the CPU session\'s quota');
  } catch (e) {
    await say(`a fourth thread: ${e instanceof Error ? e.name : String(e)}`);
  }

  go();
  await say(`joined: ${await c.join()}`);
  await say(`a's second call ${aSecondDone ? 'returned' : 'still waits behind its first'}`);

  await env.submit(opener[0]!);
  const aDone = await a.join();
  await say(`a joined: gate one opened ${aDone.passed} time(s), its second call wrote ${aDone.second} bytes`);
  await env.submit(opener[1]!);
  await say(`b joined: gate two opened ${await b.join()} time(s)`);

  /* threads come and go: stack slots, UTCBs, thread IDs and receive windows serve again */
  const SHORT = 300;
  const spaceBefore = env.runtime.capSpaceInUse?.();
  for (let i = 0; i < SHORT; i++) {
    const t = new Thread(env, `short-${i}`, (self) => self.client(two).echo(i), { cpu: cpu.session });
    await t.start();
    if (await t.join() !== i + 1) await say(`Error: short-lived thread ${i} got a wrong answer`);
  }
  const spaceAfter = env.runtime.capSpaceInUse?.();
  await say(`${SHORT} short-lived threads one after another: capability space ${spaceBefore === spaceAfter ? 'unchanged' : `Error: ${spaceBefore} -> ${spaceAfter}`}`);

  /* a thread that ended calls no more */
  await a.client(log).write('Error: a called after it ended').catch((e) => say(`a after its end: ${describe(e)}`));

  /* the threads' capabilities came back: d can be created now; it is killed while blocked */
  const d = new Thread(env, 'd', (t) => t.client(one).pass('d'), { cpu: cpu.session });
  await d.start();
  await arrivals(3);
  await d.kill();
  await d.join().then(() => say('Error: a killed thread returned'), (e) => say(`d: ${describe(e)}`));
  /* the gate's reply to d goes nowhere; gate one serves on */
  await env.submit(opener[0]!);
  await say(`gate one after d's end: echo ${await one.session.echo(6)}`);

  await say('--- threads test finished ---');
  await env.exit(0);
}
