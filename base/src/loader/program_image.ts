/*
 * What a program image is, and the names a linked program shares with the loader that
 * runs it: the globals its prologue binds, the shared and loader-made modules it may
 * `require`. Apart from the linker (program.ts, which needs esbuild) so that a linux
 * worker, which only runs images core linked, loads none of the linker.
 */

export interface ProgramImage {
  /** The binary's name (for diagnostics). */
  readonly name: string;
  /**
   * The program as one expression: a function of the meter host, the running-domain cell
   * (not hardened: the program writes it) and the global object of the component's own
   * compartment, that returns the module exports. Each call makes fresh module instances,
   * so the function is compiled once and called once per component instance (`construct` of the component, `start` of the kernel's start-up library).
   */
  readonly source: string;
}

/*
 * Global names every program binds once in its prologue, so that its code reaches them
 * as fast local bindings instead of looking each one up through the compartment's global
 * scope on every use. Only names present in the compartment are bound.
 */
export const BOUND_GLOBALS = [
  'Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Boolean', 'String', 'Symbol', 'Date',
  'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
  'TypeError', 'URIError', 'JSON', 'Math', 'Intl', 'ArrayBuffer', 'SharedArrayBuffer', 'Atomics', 'Uint8Array',
  'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array',
  'Uint8ClampedArray', 'BigUint64Array', 'BigInt64Array', 'DataView', 'Map', 'BigInt', 'Set', 'WeakMap', 'WeakSet',
  'Proxy', 'Reflect', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'isFinite', 'isNaN', 'TextEncoder', 'TextDecoder', 'harden', 'queueMicrotask', 'Compartment', 'lockdown',
];

/*
 * Modules that are pure, frozen data, evaluated once per process and shared by every
 * instance instead of once per instance: the only thing a program may `require`. Sharing
 * is safe because the loader hardens them (sandbox.ts), and it matters at scale: xmldom's
 * entity tables cost about 2 ms and 100 KB per component.
 */
export const SHARED_MODULES: Readonly<Record<string, { package: string; importer: RegExp; request: string }>> = {
  'shared:xmldom-entities': { package: '@xmldom/xmldom/lib/entities.js', importer: /@xmldom[\\/]xmldom[\\/]lib[\\/]/, request: './entities' },
};

/*
 * Modules the loader makes for each component instance that asks (sandbox.ts): a
 * component names them with `require(id)`. `shared:lua-vm` is the vetted Lua VM
 * (lua_vm.ts), the only WebAssembly a component can run.
 */
export const LOADER_MODULES = { luaVm: 'shared:lua-vm' } as const;
