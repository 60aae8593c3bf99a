/*
 * test-pause, modelled on Genode's pause test (test/thread's test_pause_resume): thread
 * "counter" counts in memory shared with main, one step per call it makes to the timer.
 * Main pauses it through its CPU thread and checks that the count no longer moves across
 * a timer wait, reads the thread's state, resumes it and sees it count again. Thread
 * "faulty" raises an exception (an uncaught error) with an exception handler registered:
 * the handler's signal arrives, the thread stays stopped in its exception (its state
 * shows it) until main resumes it; then it ends. Pausing or resuming an invalid
 * capability, a thread that is gone and another interface's capability fail clearly.
 */
import { Capability } from '../../../../base/src/capability.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { Thread } from '../../../../base/src/lib/thread.js';
import { rpcClient } from '../../../../base/src/rpc/client.js';
import { CpuThread, type ThreadState } from '../../../../base/src/session/cpu_thread/session.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { TimerConnection } from '../../session/timer/connection.js';

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function show(s: ThreadState): string {
  return `state=${s.state} paused=${s.paused} ip=0x${s.ip.toString(16)} sp=0x${s.sp.toString(16)}${s.exception ? ` exception="${s.exception}"` : ''}`;
}

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const timer = await TimerConnection.open(env);

  /* the counter: main and the thread share it (the component's memory) */
  const shared = { count: 0, stop: false };
  const counter = new Thread(env, 'counter', async (t) => {
    const clock = t.client(timer.connection);
    while (!shared.stop) {
      shared.count++;
      await clock.elapsedUs();
    }
    return shared.count;
  });
  await counter.start();
  while (shared.count < 10) await timer.msleep(1);
  await say('counter counts');

  await counter.pause();
  /* the state's round trip lets a step the thread was in finish: then nothing moves */
  const paused = await counter.threadState();
  await say(`paused: ${show(paused)}`);
  const before = shared.count;
  await timer.msleep(20);
  const after = shared.count;
  await say(after === before ? 'counter stands still while paused' : `Error: counter moved from ${before} to ${after} while paused`);
  if (paused.state !== 'valid' || !paused.paused) await say('Error: a paused thread\'s state is not valid');

  await counter.resume();
  const resumed = await counter.threadState();
  await say(`resumed: ${show(resumed)}`);
  const from = shared.count;
  while (shared.count < from + 10) await timer.msleep(1);
  await say('counter counts again after resume');
  shared.stop = true;
  await counter.join();

  /* pausing twice and resuming twice is harmless; a paused thread can be killed */
  const idle = new Thread(env, 'idle', async (t) => {
    const clock = t.client(timer.connection);
    for (;;) await clock.elapsedUs();
  });
  await idle.start();
  await idle.pause();
  await idle.pause();
  await idle.resume();
  await idle.resume();
  await idle.pause();
  await idle.kill();
  await idle.join().catch((e) => say(`a paused thread killed: ${describe(e)}`));

  /* the exception: the handler's signal arrives, the thread waits in its exception */
  let exceptions = 0;
  let exceptionSignal!: () => void;
  const signalled = new Promise<void>((r) => (exceptionSignal = r));
  const handler = await env.signalHandler((count) => {
    exceptions += count;
    exceptionSignal();
  });
  let arm!: () => void;
  const armed = new Promise<void>((r) => (arm = r));
  const faulty = new Thread(env, 'faulty', async (t) => {
    await armed;
    await t.client(log).write('faulty: raising an exception');
    throw new RangeError('faulty divides by zero');
  });
  await faulty.start();
  const faultyCap = faulty.cap;
  await faulty.exceptionSigh(handler.cap);
  arm();
  await signalled;
  await say(`exception handler signalled ${exceptions} time(s)`);
  const st = await faulty.threadState();
  await say(`faulty: ${show(st)}`);
  if (st.state !== 'exception') await say('Error: the faulting thread\'s state shows no exception');
  await timer.msleep(5);
  await say(`faulty ${faulty.state === 'running' ? 'stays stopped in its exception' : `Error: is ${faulty.state}`}`);
  await faulty.resume();
  await faulty.join().then(() => say('Error: faulty returned'), (e) => say(`faulty ended after resume: ${describe(e)}`));

  /* what cannot be paused */
  const attempt = async (what: string, cap: Capability<CpuThread>) => {
    const t = rpcClient(CpuThread, cap, env.runtime.caller);
    await t.pause().then(() => say(`Error: pausing ${what} succeeded`), (e) => say(`pausing ${what}: ${describe(e)}`));
    await t.resume().then(() => say(`Error: resuming ${what} succeeded`), (e) => say(`resuming ${what}: ${describe(e)}`));
  };
  await attempt('an invalid capability', Capability.invalid());
  await attempt('a thread that is gone', faultyCap);
  await attempt('a PD session capability', env.pd.cap as unknown as Capability<CpuThread>);
  const unstarted = await env.cpu.createThread(env.pd.cap, 'unstarted', 0);
  const u = rpcClient(CpuThread, unstarted, env.runtime.caller);
  await u.pause().then(() => say('Error: pausing an unstarted thread succeeded'), (e) => say(`pausing an unstarted thread: ${describe(e)}`));
  await env.cpu.killThread(unstarted);

  await say('--- pause test finished ---');
  await env.exit(0);
}
