/*
 * The worker's end of its kernel port. Messages are applied as they arrive (event loop),
 * and also synchronously on demand: core posts before it replies, so once a reply is in,
 * `sync()` pulls whatever core posted up to then (receiveMessageOnPort), and the component
 * never sees a reply that runs ahead of the mapping or channel it depends on.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Ctl } from './control_block.js';
import type { KernelMessage } from './kernel_messages.js';

export class KernelPort {
  private applied = 0;
  private apply: ((m: KernelMessage) => void) | undefined;
  /** Messages that arrived before the component's runtime attached. */
  private readonly early: KernelMessage[] = [];

  constructor(private readonly port: MessagePort, private readonly control: Int32Array) {
    /* the listening port is also what keeps this worker's event loop alive while it only waits */
    port.on('message', (m: KernelMessage) => this.take(m));
  }

  /** Where messages go from now on (the component's runtime, once). */
  attach(apply: (m: KernelMessage) => void): void {
    if (this.apply) throw new Error('kernel port: already attached');
    this.apply = apply;
    for (const m of this.early.splice(0)) apply(m);
  }

  private take(m: KernelMessage): void {
    this.applied++;
    if (this.apply) this.apply(m);
    else this.early.push(m);
  }

  /** Applies every message core posted so far. Cheap when there is none (one atomic load). */
  sync(): void {
    while (this.applied < Atomics.load(this.control, Ctl.POSTED)) {
      const r = receiveMessageOnPort(this.port);
      if (!r) return;
      this.take(r.message as KernelMessage);
    }
  }
}
