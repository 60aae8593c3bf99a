/*
 * What a linux component's compartment holds beyond the standard globals: Atomics and
 * SharedArrayBuffer, for its channels, doorbells and signal source in shared memory.
 * Both are hardened first, so a component cannot poison them for the worker's loader.
 */
import '../../../base/src/loader/lockdown.js';
import type { SandboxOptions } from '../../../base/src/loader/sandbox.js';

declare const harden: <T>(x: T) => T;

harden(Atomics);
harden(SharedArrayBuffer);

export const LINUX_COMPARTMENT: SandboxOptions = { globals: { Atomics, SharedArrayBuffer } };
