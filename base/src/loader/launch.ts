/*
 * The loader's last step on every emulated kernel: link the binary's program image,
 * evaluate it in a fresh compartment metered for the new protection domain, and hand the
 * kernel the program's start function. The kernel then calls it with the PD's system-call
 * gate, guarded as an upcall.
 */
import { Meter } from './cpu_meter.js';
import { loadProgram } from './program.js';
import { boundGlobals, instantiate } from './sandbox.js';
import { UserDomain, describeThrown } from './user_domain.js';
import { registerDomain } from './running_domain.js';

export interface BinaryRef {
  readonly name: string;
  /** The component's module (file URL). */
  readonly url: string;
}

export interface LaunchHooks {
  /** The PD's label, for diagnostics. */
  label: string;
  /** Charges user ticks to the CPU. */
  charge(ticks: number): void;
  /** The domain faulted (or its binary could not be loaded): stop it and report `reason`. */
  fault(reason: string): void;
  /** Host work in flight that will go on later (so an emulated kernel does not take the wait for a halt). */
  hold(): () => void;
  /** The system the PD belongs to (its kernel): instances of one system share compiled programs (sandbox.ts). */
  system: object;
}

/** How long a component may keep the CPU without the host getting a turn: ~1 s of virtual time. */
export const RUNAWAY_TICKS = 200_000_000;

export type StartFunction = (...args: unknown[]) => void;

let bound: string[] | undefined;

/**
 * Links the program images of `binaries` ahead of time (at boot), so that starting a
 * component later takes no host work: a link in the middle of a run would take host time
 * while other components go on, and runs would depend on the host's speed.
 */
export async function preloadPrograms(binaries: readonly BinaryRef[], startUrl: string): Promise<string[]> {
  bound ??= boundGlobals();
  const failed: string[] = [];
  await Promise.all(binaries.map((b) => loadProgram(b.name, b.url, startUrl, bound!).catch((e: Error) => {
    failed.push(e.message);
  })));
  return failed;
}

/**
 * Creates the user domain of a PD now and loads `binary` for it; `started` runs with the
 * program's start function (and `construct`) once it is there. Load errors end the domain.
 */
export function launch(binary: BinaryRef, startUrl: string, hooks: LaunchHooks,
  started: (start: StartFunction, construct: unknown, domain: UserDomain) => void): UserDomain {
  const meter = new Meter(RUNAWAY_TICKS, (e) => domain.fault(`${e.name}: ${e.message}`));
  const domain = new UserDomain(hooks.label, meter, hooks.charge, hooks.fault);
  const id = registerDomain(domain);
  domain.id = id;
  bound ??= boundGlobals();
  const release = hooks.hold();
  loadProgram(binary.name, binary.url, startUrl, bound).then((image) => {
    release();
    if (!domain.alive) return;
    let exports;
    try {
      exports = instantiate(image, meter, {}, id, hooks.system);
    } catch (e) {
      domain.fault(`binary "${binary.name}" failed while loading: ${describeThrown(e)}`);
      return;
    }
    const start = exports.start;
    if (typeof start !== 'function' || typeof exports.construct !== 'function') {
      domain.fault(`binary "${binary.name}" exports no construct(env)`);
      return;
    }
    started(start as StartFunction, exports.construct, domain);
  }, (e: Error) => {
    release();
    domain.fault(`cannot load binary "${binary.name}": ${e.message}`);
  });
  return domain;
}
