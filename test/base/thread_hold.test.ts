/* ThreadHold: what a paused thread's kernel holds, released in order through the kernel's queue. */
import test from 'ava';
import { ThreadHold } from '../../base/src/util/thread_hold.js';

test('a held thread\'s entries and returns wait and go on in order once released', (t) => {
  const h = new ThreadHold();
  const ran: string[] = [];
  h.pass(() => ran.push('before'));
  h.pause();
  h.pass(() => ran.push('entry'));
  h.exit((v: number) => ran.push(`return ${v}`))(7);
  t.deepEqual(ran, ['before']);
  t.is(h.holding, 2);
  const queue: Array<() => void> = [];
  t.true(h.release((fn) => queue.push(fn)));
  t.false(h.held);
  for (const fn of queue) fn();
  t.deepEqual(ran, ['before', 'entry', 'return 7']);
  t.false(h.release(() => t.fail()), 'releasing a running thread does nothing');
  h.pause();
  h.pass(() => t.fail());
  h.drop();
  t.is(h.holding, 0);
});
