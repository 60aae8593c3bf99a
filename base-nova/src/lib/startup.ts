/*
 * The NOVA start-up library: the first code of every component, run on its main EC inside
 * the component's compartment. The kernel's loader hands it the PD's system-call gate and
 * the main EC's stack pointer; from there the component library takes over.
 */
import { startComponent, type ConstructFunction } from '../../../base/src/lib/component.js';
import type { EcRef, NovaSyscalls } from '../kernel/syscall_gate.js';
import { NovaRuntime } from './runtime.js';

export function start(sys: NovaSyscalls, mainEc: EcRef, sp: number, construct: ConstructFunction): void {
  void startComponent(new NovaRuntime(sys, mainEc, sp), construct);
}
