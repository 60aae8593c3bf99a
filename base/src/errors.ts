/*
 * Exceptions that cross RPC.
 *
 * Each class is registered under its name. A server that throws a declared exception
 * replies with the name and message; the client re-creates the same class, so
 * `instanceof` works on the caller's side without any object crossing a boundary.
 */

export class GenodeError extends Error {
  constructor(message?: string) {
    super(message ?? '');
    this.name = new.target.name;
  }
}

export type ErrorClass = new (message?: string) => GenodeError;

const registry = new Map<string, ErrorClass>();

export function registerError(cls: ErrorClass): void {
  const existing = registry.get(cls.name);
  if (existing && existing !== cls) throw new Error(`two exception classes named ${cls.name}`);
  registry.set(cls.name, cls);
}

export function errorClassByName(name: string): ErrorClass | undefined {
  return registry.get(name);
}

/* Quota and session errors (Genode: Out_of_ram, Out_of_caps, Service_denied, ...) */
export class OutOfRam extends GenodeError {}
export class OutOfCaps extends GenodeError {}
export class ServiceDenied extends GenodeError {}
export class InsufficientRamQuota extends GenodeError {}
export class InsufficientCapQuota extends GenodeError {}

/* Capability and IPC errors */
export class InvalidCapability extends GenodeError {}
export class IpcError extends GenodeError {}
export class MessageOverflow extends GenodeError {}
/** A server raised an exception that its interface does not declare. */
export class UndeclaredServerError extends GenodeError {}

/* Memory errors */
export class RegionConflict extends GenodeError {}
export class InvalidDataspace extends GenodeError {}
export class OutOfMetadata extends GenodeError {}

/** An access to a range that is not mapped in the component's address space. */
export class PageFault extends GenodeError {
  static at(addr: number, size: number, label: string): PageFault {
    return new PageFault(`page fault: [0x${addr.toString(16)}, 0x${(addr + size).toString(16)}) is not mapped in "${label}"`);
  }
}

/** The kernel could not create or start a thread (Genode's Cpu_session::Thread_creation_failed). */
export class ThreadCreationFailed extends GenodeError {}

/* Quota transfer errors */
export class InvalidSession extends GenodeError {}
export class UndefinedRefAccount extends GenodeError {}

/** Bad input (malformed arguments, configs) with a message that names what was wrong. */
export class BadArgument extends GenodeError {}

for (const cls of [
  OutOfRam, OutOfCaps, ServiceDenied, InsufficientRamQuota, InsufficientCapQuota,
  InvalidCapability, IpcError, MessageOverflow, UndeclaredServerError, RegionConflict,
  InvalidDataspace, OutOfMetadata, PageFault, ThreadCreationFailed, InvalidSession, UndefinedRefAccount, BadArgument,
]) registerError(cls);
