/*
 * What a component's worker runs (the linux loader, trusted): harden the isolate, answer
 * heartbeats, then evaluate the binary's program image (linked by core) in a compartment
 * and call its start-up code with the worker's system-call gate. The Node objects (the
 * kernel port, worker_threads, the host clock) stay out here; the component reaches core
 * only through the gate and the shared memory it was handed.
 * A program that cannot be evaluated is an uncaught error, which core reports and turns
 * into the component's exit.
 *
 * Core links this module and everything it imports into one script (core/worker_loader.ts)
 * that the worker's bootstrap evaluates: importing the module hardens the isolate, `run`
 * starts the component.
 */
import '../../../base/src/loader/lockdown.js';
import type { MessagePort } from 'node:worker_threads';
import { Meter } from '../../../base/src/loader/cpu_meter.js';
import { instantiate } from '../../../base/src/loader/sandbox.js';
import { describeThrown } from '../../../base/src/loader/user_domain.js';
import { controlBlock } from './control_block.js';
import { answerHeartbeats } from './heartbeat.js';
import type { WorkerBoot, WorkerMessage } from './kernel_messages.js';
import { KernelPort } from './kernel_port.js';
import { LINUX_COMPARTMENT } from './compartment.js';
import { linuxGate } from './syscall_gate.js';

/* an unhandled rejection is this component's fault: end the worker, core reports it */
process.on('unhandledRejection', (reason) => {
  throw new Error(`unhandled promise rejection: ${describeThrown(reason)}`);
});

/**
 * Starts the component `boot` names; `toCore` is the worker's parent port. `collect`, if
 * the host offers one, is a full garbage collection of this isolate: done once the
 * program is evaluated, it returns what loading left behind before the component runs
 * (an idle component would otherwise keep it, no collection ever being due).
 */
export function run(boot: WorkerBoot, toCore: MessagePort, collect?: () => void): void {
  const control = controlBlock(boot.control);
  const port = new KernelPort(boot.port, control);
  const gate = linuxGate(boot.label, { port, toCore: (m: WorkerMessage) => toCore.postMessage(m) }, boot.spin, boot.hostClock === true);

  /* on linux the watchdog catches a component that never yields; the meter only counts */
  const meter = new Meter(Infinity, () => {});
  let exports;
  try {
    exports = instantiate({ name: boot.binary.name, source: boot.binary.source }, meter, LINUX_COMPARTMENT);
  } catch (e) {
    throw new Error(`binary "${boot.binary.name}" failed while loading: ${describeThrown(e)}`);
  }
  const { start, construct } = exports as { start: unknown; construct: unknown };
  if (typeof start !== 'function' || typeof construct !== 'function') throw new Error(`binary "${boot.binary.name}" exports no construct(env)`);
  collect?.();
  start(gate, { sp: boot.sp, parent: boot.parent, control: boot.control }, construct);
  /* loaded: from now on the watchdog's heartbeats are answered, and core lets the next worker load */
  answerHeartbeats(control);
  toCore.postMessage({ t: 'loaded' } satisfies WorkerMessage);
}
