/*
 * Atomics.waitAsync is not an event-loop handle: an isolate whose only pending work is a
 * waitAsync would end (a worker's top-level await would never finish). While anything
 * waits, a ref'd MessagePort keeps the loop alive; ref/unref on it are cheap native calls.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';

let port: MessagePort | undefined;
let holders = 0;

/** Keeps this isolate alive until the returned function is called. */
export function holdEventLoop(): () => void {
  if (!port) {
    port = new MessageChannel().port1;
    port.on('message', () => {});
  }
  if (holders++ === 0) port.ref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) port!.unref();
  };
}
