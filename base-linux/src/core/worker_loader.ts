/*
 * The loader every linux worker runs first (lib/worker_main.ts and what it imports, SES
 * among them), as one script core hands each new worker, so that a worker costs less to
 * start and to keep:
 * - one script instead of Node's ES module loader resolving, reading and compiling about
 *   a hundred files (SES alone is some 60) in every isolate;
 * - V8's code cache for it: the first worker compiles the script, runs its module
 *   initialisation (SES's lockdown) and hands core the code cache of what it compiled,
 *   before any component code runs in it; later workers start from that cache instead
 *   of compiling. The cache comes only from that trusted part of a worker (over a port of
 *   its own, closed before the component is evaluated), never from a component.
 * The script is linked with esbuild like a program image and kept in build/programs/.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { cachedBuild } from '../../../base/src/loader/program.js';

const ENTRY = fileURLToPath(new URL('../lib/worker_main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Shown in stack traces of the loader's code. */
export const LOADER_FILENAME = 'genode-linux-loader.js';
/** A code cache larger than this is not taken (the real one is well under 1 MiB). */
const MAX_CACHE_BYTES = 16 << 20;

/** What a new worker needs to run the loader (part of its workerData). */
export interface LoaderBoot {
  /** The script: a function of `require` that returns the loader's exports (`run`). */
  source: string;
  filename: string;
  /** V8's code cache of the script, once a worker made one. */
  cache?: Uint8Array;
  /** Where this worker sends the code cache it makes (the first worker only). */
  cachePort?: MessagePort;
}

/*
 * The worker's first code (evaluated as CommonJS by Node): compiles and evaluates the
 * loader, hands core a code cache if asked and closes that port, then runs the component
 * with the host's garbage collector (a global of the worker's own realm, which no
 * compartment reaches).
 */
export const WORKER_BOOTSTRAP = `'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const collect = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;
const { loader, ...boot } = workerData;
const script = new (require('node:vm').Script)(loader.source, { filename: loader.filename, cachedData: loader.cache });
const { run } = script.runInThisContext()(require);
if (loader.cachePort) {
  if (!loader.cache || script.cachedDataRejected) loader.cachePort.postMessage(script.createCachedData());
  loader.cachePort.close();
}
run(boot, parentPort, collect);
`;

let linked: Promise<string> | undefined;

/** The loader script, linked on first use. */
function loaderSource(): Promise<string> {
  linked ??= cachedBuild(`linux worker loader\n${ENTRY}`, link);
  linked.catch(() => { linked = undefined; });
  return linked;
}

async function link(): Promise<{ source: string; inputs: string[] }> {
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    /* identifiers keep their names: stack traces of the loader stay readable */
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: ROOT,
    /* packages loaded only when needed (acorn, the Lua VM's wasm, shared modules) resolve from the loader's own directory */
    define: { 'import.meta.url': JSON.stringify(new URL('../../../base/src/loader/sandbox.js', import.meta.url).href) },
  });
  /* and this file, which wraps the script */
  const inputs = [...Object.keys(out.metafile.inputs).map((f) => resolve(ROOT, f)).filter((f) => existsSync(f)), fileURLToPath(import.meta.url)];
  /* Node's CommonJS wrapper, minus what the loader does not use; strict, as ES modules are (SES requires it) */
  return { source: `(function (require) { 'use strict'; const module = { exports: {} }, exports = module.exports;\n${out.outputFiles[0]!.text}\nreturn module.exports; })`, inputs };
}

let cache: Uint8Array | undefined;
let asked = false;

/** What the next worker gets: the script, the code cache if there is one, else (once) the port to send it over. */
export async function loaderBoot(): Promise<LoaderBoot> {
  const source = await loaderSource();
  const boot: LoaderBoot = { source, filename: LOADER_FILENAME, cache };
  if (!cache && !asked) {
    asked = true;
    const { port1, port2 } = new MessageChannel();
    port1.once('message', (data: unknown) => {
      if (data instanceof Uint8Array && data.byteLength > 0 && data.byteLength <= MAX_CACHE_BYTES) {
        /* in shared memory: each worker reads the one copy */
        cache = new Uint8Array(new SharedArrayBuffer(data.byteLength));
        cache.set(data);
      } else {
        asked = false;
      }
      port1.close();
    });
    /* a worker that ends before it sent one: the next worker is asked */
    port1.once('close', () => { if (!cache) asked = false; });
    port1.unref();
    boot.cachePort = port2;
  }
  return boot;
}
