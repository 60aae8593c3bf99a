/*
 * Hardens the host realm before anything else runs (SES lockdown): every shared intrinsic
 * (Object, Array.prototype, Promise, ...) is frozen, so code in one component's
 * compartment cannot poison what another component or the kernel uses, and
 * `constructor.constructor`, `Date.now` and `Math.random` lead nowhere inside compartments.
 *
 * Every entry point (tool/run, the bench, a linux worker, the tests) imports this module
 * first. The host keeps reflect-metadata for its own RPC declarations and the composition
 * root on a Reflect object of its own: lockdown freezes the shared Reflect, and compartments
 * get fresh copies of the standard one (see sandbox.ts), never the host's metadata.
 * fast_paths.ts, loaded before SES, keeps fast paths of V8 that lockdown would turn off.
 */
import { makePrototypesFast, restoreStandardObject } from './fast_paths.js';
import 'ses';

declare const lockdown: (options?: Record<string, string>) => void;

const LOCKED = Symbol.for('genode.lockdown');
const host = globalThis as unknown as Record<PropertyKey, unknown>;

if (!host[LOCKED]) {
  restoreStandardObject();
  lockdown({
    errorTaming: 'unsafe', // the host keeps stack traces for its diagnostics
    stackFiltering: 'verbose',
    overrideTaming: 'severe', // libraries (xmldom, ...) assign inherited properties such as constructor
    consoleTaming: 'unsafe',
    domainTaming: 'unsafe',
    reporting: 'none',
    /* the kernel attributes uncaught errors and rejections to components (running_domain.ts) */
    errorTrapping: 'none',
    unhandledRejectionTrapping: 'none',
  });
  makePrototypesFast(globalThis);
  /* the frozen standard Reflect stays reachable for compartments to copy */
  Object.defineProperty(host, LOCKED, { value: Reflect });
  host.Reflect = Object.create(Object.prototype, Object.getOwnPropertyDescriptors(Reflect));
}

/** The frozen standard Reflect that lockdown left (each compartment gets a copy). */
export const standardReflect = host[LOCKED] as typeof Reflect;
