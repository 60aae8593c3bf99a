/*
 * A component instance's protection domain as seen from JavaScript: a SES compartment
 * (the realm's frozen intrinsics, its own global object, no host globals) in which the
 * program image is evaluated afresh. What the component can reach is exactly what the
 * kernel passes to its start function (the system-call gate of its own threads and views
 * of memory mapped into its own address space) and the compartment's globals: the frozen
 * standard library, its own Reflect (so reflect-metadata keeps per-component state),
 * queueMicrotask, and for the linux backend Atomics (blocking on its own channels).
 *
 * Code a component creates at run time (eval, Function) is metered like its program.
 */
import './lockdown.js';
import { standardReflect } from './lockdown.js';
import { MeteringError, RESERVED_PREFIX, instrument } from './meter.js';
import { createRequire } from 'node:module';
import { luaVmModule } from './lua_vm.js';
import { BOUND_GLOBALS, LOADER_MODULES, SHARED_MODULES, type ProgramImage } from './program_image.js';
import type { Meter } from './cpu_meter.js';
import { running } from './running_domain.js';

declare const Compartment: new (options: Record<string, unknown>) => {
  globalThis: Record<string, unknown>;
  evaluate(source: string): unknown;
};
declare const harden: <T>(x: T) => T;

export interface SandboxOptions {
  /** Extra globals (hardened before they are handed over). */
  globals?: Record<string, unknown>;
}

/** The names the prologue of images for compartments made with `options` binds. */
export function boundGlobals(options: SandboxOptions = {}): string[] {
  const present = new Set(Object.getOwnPropertyNames(makeCompartment(options, []).globalThis));
  return BOUND_GLOBALS.filter((n) => present.has(n));
}

const TICK = `${RESERVED_PREFIX}tick`;
const runtimeChecks = { stmt: `${TICK}();`, expr: `${TICK}()` };

function makeCompartment(options: SandboxOptions, images: readonly string[], meter?: Meter) {
  const reflect = Object.create(Object.prototype, Object.getOwnPropertyDescriptors(standardReflect));
  const known = new Set(images);
  const transform = (src: string): string => {
    if (known.has(src)) return src;
    /* code made at run time (eval, Function): metered through a global tick */
    try {
      return instrument(src, runtimeChecks);
    } catch (e) {
      throw new SyntaxError(e instanceof MeteringError ? e.message : String(e));
    }
  };
  const globals: Record<string, unknown> = { Reflect: reflect, queueMicrotask: harden(queueMicrotask) };
  for (const [k, v] of Object.entries(options.globals ?? {})) globals[k] = harden(v);
  const c = new Compartment({ globals, __options__: true, __shimTransforms__: [transform] });
  const tick = meter ? harden(() => meter.tickOne()) : harden(() => {});
  Object.defineProperty(c.globalThis, TICK, { value: tick, writable: false, configurable: false, enumerable: false });
  return c;
}

export interface ProgramExports {
  readonly [name: string]: unknown;
}

type ProgramFunction = (host: unknown, cell: typeof running, global: object) => ProgramExports;

/*
 * Each image is compiled in a template compartment of its own, and its function is
 * called once per component instance with that instance's compartment global: the
 * program binds every global it uses from it (program.ts), and each call makes fresh
 * module instances. Names a program reads without binding them resolve in the template,
 * whose eval refuses to run (a component's code made at run time goes through the
 * Function constructor of its own compartment, metered there).
 *
 * Instances of one compiled copy share V8's type feedback, but each makes classes of its
 * own, so with every further instance the program's property accesses meet one more shape
 * of object. Measured on the null RPC (nova, one process): a second to fourth instance
 * made each call about 25 % slower, a fifth (V8 gives up on its inline caches) about 90 %.
 * So a system compiles a program afresh for each of its first COPIES_PER_SYSTEM instances
 * of it, and further instances share the last copy (compiling for each of 1000 children of
 * one binary took about four times the boot time and three times the memory). Systems
 * share nothing: each system a test or a benchmark boots runs code of its own.
 */
const COPIES_PER_SYSTEM = 4;
const compiledBySystem = new WeakMap<object, Map<string, ProgramFunction[]>>();
let compilations = 0;

const hostRequire = createRequire(import.meta.url);
const sharedModules = new Map<string, unknown>();

/** A shared module (program_image.ts, SHARED_MODULES), loaded and hardened on first use. */
const sharedModule = harden((id: unknown): unknown => {
  const m = typeof id === 'string' && Object.hasOwn(SHARED_MODULES, id) ? SHARED_MODULES[id] : undefined;
  if (!m) throw new TypeError(`require is not available to components (asked for ${typeof id === 'string' ? JSON.stringify(id.slice(0, 64)) : typeof id})`);
  let exports = sharedModules.get(id as string);
  if (exports === undefined) {
    exports = harden(hostRequire(m.package));
    sharedModules.set(id as string, exports);
  }
  return exports;
});

/** The program function of `image` for a new instance in `system` (none: a copy of its own). */
export function programFunction(image: ProgramImage, system: object | undefined): ProgramFunction {
  if (!system) return compile(image);
  let programs = compiledBySystem.get(system);
  if (!programs) compiledBySystem.set(system, (programs = new Map()));
  let copies = programs.get(image.source);
  if (!copies) programs.set(image.source, (copies = []));
  if (copies.length < COPIES_PER_SYSTEM) copies.push(compile(image));
  return copies[copies.length - 1]!;
}

function compile(image: ProgramImage): ProgramFunction {
  /* a source V8 has seen would come from its eval cache, with the type feedback of the earlier copy */
  const source = `${image.source}\n// copy ${++compilations}`;
  const refuse = harden(() => {
    throw new TypeError('eval is not available to components (use Function)');
  });
  const template = new Compartment({
    globals: { eval: refuse },
    __options__: true,
    __shimTransforms__: [(src: string) => {
      if (src !== source) throw new SyntaxError('no code runs in a program template');
      return src;
    }],
  });
  return template.evaluate(source) as ProgramFunction;
}

/**
 * Runs `image` for a new component instance of `system` (an emulated kernel; see
 * programFunction): a new compartment metered by `meter`, fresh module instances; returns
 * the exports. Throws if the program fails while its modules initialise.
 */
export function instantiate(image: ProgramImage, meter: Meter, options: SandboxOptions = {}, domainId = 0, system?: object): ProgramExports {
  const program = programFunction(image, system);
  const c = makeCompartment(options, [], meter);
  /* modules the loader makes per instance (program_image.ts, LOADER_MODULES) */
  let luaVm: unknown;
  const shared = (id: unknown): unknown => {
    if (id === LOADER_MODULES.luaVm) return (luaVm ??= harden(luaVmModule((n) => meter.charge(n))));
    return sharedModule(id);
  };
  const host = harden({
    attach: (drain: () => number) => meter.attach(drain),
    check: (total: number) => meter.check(total),
    domain: domainId,
    shared,
  });
  return program(host, running, c.globalThis);
}
