/*
 * Program images: what a boot module's binary name becomes before a component can run it.
 *
 * A component is an ES module graph (its own modules, the component library of base/,
 * session interfaces, its kernel's start-up library). The loader links that graph into
 * one program with esbuild, instruments it with the CPU meter, and wraps it so that each
 * evaluation yields fresh module instances: every component instance gets its own copy of
 * every module, as every Genode component gets its own data segment. Images are built
 * once per binary and kernel and cached; evaluating one is what starting a component costs.
 *
 * Linking also enforces the import rules: a program that imports a Node built-in (fs,
 * net, worker_threads, ...) or anything else outside the project's own modules and its
 * npm dependencies does not link, so it never runs.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHUNK, COUNTER, DOMAIN, RESERVED_PREFIX, RESUMED, RUNNING, TRAP, instrument } from './meter.js';

export interface ProgramImage {
  /** The binary's name (for diagnostics). */
  readonly name: string;
  /**
   * The program as one expression: a function of the meter host and the running-domain
   * cell (not hardened: the program writes it) that returns the module exports (`construct` of the component, `start` of the kernel's start-up library).
   */
  readonly source: string;
}

export class LinkError extends Error {
  override name = 'LinkError';
}

/** The host's meter interface as the program's prologue sees it. */
export const HOST = `${RESERVED_PREFIX}host`;

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
  'isFinite', 'isNaN', 'TextEncoder', 'TextDecoder', 'harden', 'queueMicrotask',
];

function prologue(bound: readonly string[], program: string): string {
  return `(function (${HOST}, ${RUNNING}) {
'use strict';
const { ${bound.join(', ')} } = globalThis;
const undefined = void 0, NaN = 0 / 0, Infinity = 1 / 0;
const ${DOMAIN} = ${HOST}.domain;
const ${RESUMED} = (v) => (${RUNNING}.c = ${DOMAIN}, v);
let ${COUNTER} = ${CHUNK}, ${RESERVED_PREFIX}acc = 0, ${RESERVED_PREFIX}drained = 0;
const ${TRAP} = () => {
  ${RESERVED_PREFIX}acc += ${CHUNK} - ${COUNTER};
  ${COUNTER} = 0;
  ${COUNTER} = ${HOST}.check(${RESERVED_PREFIX}acc);
};
${HOST}.attach(() => {
  const total = ${RESERVED_PREFIX}acc + ${CHUNK} - ${COUNTER};
  const n = total - ${RESERVED_PREFIX}drained;
  ${RESERVED_PREFIX}drained = total;
  return n;
});
return (function () {
const module = { exports: {} };
${program}
return module.exports;
})();
})`;
}

const images = new Map<string, Promise<ProgramImage>>();

/**
 * The image of binary `name` (module `binaryUrl`) for a kernel whose start-up library is
 * `startUrl`, linked with the global names `bound` (those of the compartment it will run in).
 */
export function loadProgram(name: string, binaryUrl: string, startUrl: string, bound: readonly string[]): Promise<ProgramImage> {
  const key = `${binaryUrl}\n${startUrl}\n${bound.join(',')}`;
  let image = images.get(key);
  if (!image) {
    image = link(name, binaryUrl, startUrl, bound);
    images.set(key, image);
    /* a failed link is not cached: the next attempt reports the error again */
    image.catch(() => images.delete(key));
  }
  return image;
}

async function link(name: string, binaryUrl: string, startUrl: string, bound: readonly string[]): Promise<ProgramImage> {
  const entry = [
    `export { construct } from ${JSON.stringify(fileURLToPath(binaryUrl))};`,
    `export { start } from ${JSON.stringify(fileURLToPath(startUrl))};`,
  ].join('\n');
  let text: string;
  try {
    const out = await build({
      stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', binaryUrl)), sourcefile: `${name}.entry.js` },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'silent',
      legalComments: 'none',
      charset: 'utf8',
    });
    text = out.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors;
    const why = errors?.length
      ? errors.map((m) => `${m.text}${m.location ? ` (${m.location.file}:${m.location.line})` : ''}`).join('; ')
      : (e as Error).message;
    throw new LinkError(`binary "${name}" does not link: ${why}`);
  }
  let metered: string;
  try {
    metered = instrument(text);
  } catch (e) {
    throw new LinkError(`binary "${name}": ${(e as Error).message}`);
  }
  return { name, source: prologue(bound, metered) };
}
