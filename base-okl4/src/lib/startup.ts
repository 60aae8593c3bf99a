/*
 * The OKL4 start-up library: the first code of every component, run on its main thread
 * inside the component's compartment. The kernel's loader hands it the space's system-call
 * gate, the main thread's stack pointer and the parent capability's words (thread ID and
 * key, plain numbers on OKL4); the component library takes over.
 */
import { startComponent, type ConstructFunction } from '../../../base/src/lib/component.js';
import type { Okl4UserGate } from '../kernel/syscall_gate.js';
import type { Thread } from '../kernel/thread.js';
import { Okl4Runtime, type ParentCapWords } from './runtime.js';

export function start(sys: Okl4UserGate, main: Thread, sp: number, parentTid: number, parentKey: number, construct: ConstructFunction): void {
  const parent: ParentCapWords | undefined = parentTid !== 0 ? { tid: parentTid, key: parentKey } : undefined;
  void startComponent(new Okl4Runtime(sys, main, sp, parent), construct);
}
