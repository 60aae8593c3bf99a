/*
 * The composition root: binds the machine and every kernel backend. tool/run asks it for
 * the backends; components never see it.
 */
import '../../base/src/loader/lockdown.js'; // before reflect-metadata: see lockdown.ts
import 'reflect-metadata';
import { Container } from 'inversify';
import { Pc } from '../pc/index.js';
import { KERNEL_BACKEND, MACHINE_FACTORY, type KernelBackend, type MachineFactory } from './backend.js';
import { FiascoBackend } from './fiasco_backend.js';
import { LINUX_OPTIONS, LinuxBackend, type LinuxBackendOptions } from './linux_backend.js';
import { NovaBackend } from './nova_backend.js';
import { Okl4Backend } from './okl4_backend.js';

/** The composition root; `linux` overrides the linux backend's options (tests lower its limits). */
export function createContainer(linux: Partial<LinuxBackendOptions> = {}): Container {
  const c = new Container();
  c.bind<MachineFactory>(MACHINE_FACTORY).toConstantValue((ramMiB, options) => new Pc({ ramBytes: ramMiB * 1024 * 1024, ...options }));
  c.bind<KernelBackend>(KERNEL_BACKEND).to(NovaBackend);
  c.bind<KernelBackend>(KERNEL_BACKEND).to(FiascoBackend);
  c.bind<KernelBackend>(KERNEL_BACKEND).to(Okl4Backend);
  /* patient enough for a loaded 2-core CI machine; a spinning component is still ended */
  c.bind<LinuxBackendOptions>(LINUX_OPTIONS).toConstantValue({ watchdogMs: 10_000, ...linux });
  c.bind<KernelBackend>(KERNEL_BACKEND).to(LinuxBackend);
  return c;
}

export function kernelBackends(c: Container): KernelBackend[] {
  return c.getAll<KernelBackend>(KERNEL_BACKEND);
}
