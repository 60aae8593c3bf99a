/*
 * The linux start-up library: the first code of every component, run inside the
 * component's compartment in its worker. The worker's loader hands it the gate and what
 * core put into the worker's boot data; the component library takes over.
 */
import { startComponent, type ConstructFunction } from '../../../base/src/lib/component.js';
import type { ComponentBoot } from './kernel_messages.js';
import { LinuxRuntime } from './runtime.js';
import type { LinuxSyscalls } from './syscall_gate.js';

export function start(sys: LinuxSyscalls, boot: ComponentBoot, construct: ConstructFunction): void {
  void startComponent(new LinuxRuntime(sys, boot), construct);
}
