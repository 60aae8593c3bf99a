/*
 * The upkeep every packet-stream server shares: batches one at a time (BatchRunner) and a
 * refusal log a flooding client cannot blow up (RefusalLog).
 */
import test from 'ava';
import { BatchRunner } from '../../os/src/lib/packet_stream/batch_runner.js';
import { RefusalLog } from '../../os/src/lib/packet_stream/refusal_log.js';

test('a wake-up while a batch runs gives one more round, never a second batch beside it', async (t) => {
  let running = 0;
  let most = 0;
  let rounds = 0;
  let release!: () => void;
  const runner = new BatchRunner(async () => {
    running++;
    most = Math.max(most, running);
    rounds++;
    if (rounds === 1) await new Promise<void>((r) => (release = r));
    running--;
  });
  const first = runner.wake();
  t.truthy(first);
  t.is(runner.wake(), undefined);
  t.is(runner.wake(), undefined, 'wake-ups while running fold into one round');
  release();
  await first;
  t.is(rounds, 2);
  t.is(most, 1);
});

test('stop waits for the running batch and refuses new ones; a failing batch does not break stop', async (t) => {
  let release!: () => void;
  let done = false;
  const runner = new BatchRunner(async () => {
    await new Promise<void>((r) => (release = r));
    done = true;
    throw new Error('device gone');
  });
  const p = runner.wake() as Promise<void>;
  p.catch(() => {});
  const stopped = runner.stop();
  t.false(done);
  release();
  await stopped;
  t.true(done);
  t.is(runner.wake(), undefined);
});

test('refusals: the first ones one by one, then summaries at powers of two; queue state changes once each', async (t) => {
  const log = new RefusalLog('client', 3);
  for (let i = 0; i < 40; i++) log.refuse(`packet ${i}`);
  log.queueState('submit queue broken');
  log.queueState('submit queue broken');
  log.queueState(undefined, 'tx stream');
  log.warn('frame not sent');
  const lines: string[] = [];
  await log.flush(async (l) => void lines.push(l));
  t.is(log.count, 40);
  t.deepEqual(lines, [
    'Warning: "client": refused packet 0',
    'Warning: "client": refused packet 1',
    'Warning: "client": refused packet 2',
    'Warning: "client": 4 refusals so far',
    'Warning: "client": 8 refusals so far',
    'Warning: "client": 16 refusals so far',
    'Warning: "client": 32 refusals so far',
    'Warning: "client": stream stalled: submit queue broken',
    '"client": tx stream usable again',
    'Warning: "client": frame not sent',
  ]);
  await log.flush(async () => t.fail('nothing left'));
});
