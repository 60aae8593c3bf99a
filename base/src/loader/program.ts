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
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHUNK, COUNTER, DOMAIN, RESERVED_PREFIX, RESUMED, RUNNING, TRAP, instrument } from './meter.js';
import { LOADER_MODULES, SHARED_MODULES, type ProgramImage } from './program_image.js';

export class LinkError extends Error {
  override name = 'LinkError';
}

/** The host's meter interface as the program's prologue sees it. */
export const HOST = `${RESERVED_PREFIX}host`;

/** The global object parameter of every program (its own compartment's). */
export const GLOBAL = `${RESERVED_PREFIX}g`;

function prologue(bound: readonly string[], program: string): string {
  return `(function (${HOST}, ${RUNNING}, ${GLOBAL}) {
'use strict';
const globalThis = ${GLOBAL};
const { ${bound.join(', ')} } = ${GLOBAL};
const undefined = void 0, NaN = 0 / 0, Infinity = 1 / 0;
const require = (name) => ${HOST}.shared(name);
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

const sharedModulesPlugin = {
  name: 'shared-modules',
  setup(b: { onResolve: (o: { filter: RegExp }, f: (a: { path: string; importer: string }) => { path: string; external: boolean } | undefined) => void }) {
    for (const id of Object.values(LOADER_MODULES)) {
      b.onResolve({ filter: new RegExp(`^${id}$`) }, () => ({ path: id, external: true }));
    }
    for (const [id, m] of Object.entries(SHARED_MODULES)) {
      const filter = new RegExp(`^${m.request.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      b.onResolve({ filter }, (a) => (m.importer.test(a.importer) ? { path: id, external: true } : undefined));
    }
  },
};

/*
 * @xterm/headless (the gems terminal's emulation state) links from its CommonJS build,
 * the one Node loads as well: the package's "module" field names a file it does not ship.
 * That build looks at the host when it is evaluated: with a Node-like `process` it takes
 * itself for Node, else it reads `navigator` and `window` (browser quirks). A component's
 * compartment has none of them, so the module gets a stand-in `process` of its own, one
 * that only says "Node" (it reads nothing else of it). Its timers (setTimeout) are only reached through asynchronous
 * writes, which the terminal does not use (it writes synchronously, see
 * gems/src/server/terminal/emulator.ts).
 */
const XTERM_HEADLESS = fileURLToPath(new URL('../../../../node_modules/@xterm/headless/lib-headless/xterm-headless.js', import.meta.url));

const xtermHeadlessPlugin = {
  name: 'xterm-headless',
  setup(b: {
    onResolve: (o: { filter: RegExp }, f: () => { path: string }) => void;
    onLoad: (o: { filter: RegExp }, f: (a: { path: string }) => { contents: string; loader: 'js' } | undefined) => void;
  }) {
    b.onResolve({ filter: /^@xterm\/headless$/ }, () => ({ path: XTERM_HEADLESS }));
    b.onLoad({ filter: /xterm-headless\.js$/ }, (a) =>
      a.path === XTERM_HEADLESS
        ? { contents: `const process = { title: 'genode-ts component' };\n${readFileSync(a.path, 'utf8')}`, loader: 'js' }
        : undefined,
    );
  },
};

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

/*
 * Linked images are kept on disk (build/programs/), each with the files it was linked
 * from and their modification times: a run, a test process or a worker thread that
 * needs the same program again takes it from there unless one of those files changed.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../../programs/', import.meta.url));
/** The loader's own files: a change to the instrumentation invalidates every image. */
const LOADER_FILES = ['meter.js', 'program.js'].map((f) => fileURLToPath(new URL(`./${f}`, import.meta.url)));

interface CachedImage {
  inputs: Array<[string, number, number]>;
  source: string;
}

function fingerprint(file: string): [string, number, number] {
  const s = statSync(file);
  return [file, s.mtimeMs, s.size];
}

function cacheFile(key: string): string {
  return join(CACHE_DIR, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
}

function cached(file: string): string | undefined {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CachedImage;
    for (const [path, mtime, size] of c.inputs) {
      const [, m, s] = fingerprint(path);
      if (m !== mtime || s !== size) return undefined;
    }
    return c.source;
  } catch {
    return undefined;
  }
}

function store(file: string, inputs: string[], source: string): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const c: CachedImage = { inputs: [...inputs, ...LOADER_FILES].map(fingerprint), source };
    const tmp = `${file}.${process.pid}.${Math.floor(performance.now())}.tmp`;
    writeFileSync(tmp, JSON.stringify(c));
    renameSync(tmp, file);
  } catch {
    /* a cache that cannot be written only costs time */
  }
}

/**
 * The text `make` builds (with the files it was built from), taken from build/programs/
 * under `key` while none of those files changed. The linux backend keeps its workers'
 * loader there too (base-linux/src/core/worker_loader.ts).
 */
export async function cachedBuild(key: string, make: () => Promise<{ source: string; inputs: string[] }>): Promise<string> {
  const file = cacheFile(key);
  const hit = cached(file);
  if (hit !== undefined) return hit;
  const built = await make();
  store(file, built.inputs, built.source);
  return built.source;
}

async function link(name: string, binaryUrl: string, startUrl: string, bound: readonly string[]): Promise<ProgramImage> {
  const source = await cachedBuild(`${binaryUrl}\n${startUrl}\n${bound.join(',')}`, () => linkNow(name, binaryUrl, startUrl, bound));
  return { name, source };
}

async function linkNow(name: string, binaryUrl: string, startUrl: string, bound: readonly string[]): Promise<{ source: string; inputs: string[] }> {
  const entry = [
    `export { construct } from ${JSON.stringify(fileURLToPath(binaryUrl))};`,
    `export { start } from ${JSON.stringify(fileURLToPath(startUrl))};`,
  ].join('\n');
  let text: string;
  let inputs: string[];
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
      /*
       * Every linux worker holds its image's text: without comments and indentation, and
       * with non-ASCII characters escaped (V8 then keeps it at one byte per character),
       * it is about a third of the size. Names and statements stay as written.
       */
      minifyWhitespace: true,
      charset: 'ascii',
      metafile: true,
      absWorkingDir: ROOT,
      plugins: [sharedModulesPlugin, xtermHeadlessPlugin],
    });
    text = out.outputFiles[0]!.text;
    /* the files it was linked from (not the made-up entry module) */
    inputs = Object.keys(out.metafile.inputs).map((f) => resolve(ROOT, f)).filter((f) => existsSync(f));
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
  return { source: prologue(bound, metered), inputs };
}
