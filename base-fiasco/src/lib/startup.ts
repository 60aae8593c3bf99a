/*
 * The Fiasco.OC start-up library: the first code of every component, run on its main
 * thread inside the component's compartment. The kernel's loader hands it the task's
 * system-call gate and the main thread's stack pointer; the component library takes over.
 */
import { startComponent, type ConstructFunction } from '../../../base/src/lib/component.js';
import type { FocUserGate } from '../kernel/syscall_gate.js';
import type { Thread } from '../kernel/thread.js';
import { FocRuntime } from './runtime.js';

export function start(sys: FocUserGate, main: Thread, sp: number, construct: ConstructFunction): void {
  void startComponent(new FocRuntime(sys, main, sp), construct);
}
