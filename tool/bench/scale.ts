/*
 * Scale: one init ("sub" of os/run/init_scale.ts) starts N children side by side, or a
 * chain of inits nested one in the other, on a config update, and removes them all on the
 * next. Measured: how long the start takes (from sub's report of the empty config to the
 * last child's hello), what each new component costs the host (resident memory and heap,
 * in this process after garbage collection; linux's workers live in this process too),
 * and whether sub got every byte of RAM and every cap back (its own reports of what it has
 * free before and after). A backend that refuses a size gives its own error text instead.
 * npm run bench measures each row in a process of its own (scaleInFreshProcess).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { scaleScenario, type ScaleShape } from '../../os/run/init_scale.js';
import { ERROR_LINE } from '../../base/src/scenario.js';
import type { KernelBackend } from '../runner/backend.js';
import { loadTargets } from '../runner/repositories.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** init's account as it reports it ("ram A of B free, caps C of D free, capability space E"). */
export interface InitAccount { ramFree: number; ramQuota: number; capsFree: number; capQuota: number; capSpace?: number }

export interface ScaleResult {
  kernel: string;
  /** "N children" or "D nested inits" */
  shape: string;
  /** components started by the update (children, or nested inits and their leaf) */
  components: number;
  /** why the run did not complete: the backend's refusal ("refused: ...") or the run's failure */
  refused?: string;
  bootMs?: number;
  msPerComponent?: number;
  rssKiBPerComponent?: number;
  heapKiBPerComponent?: number;
  before?: InitAccount;
  after?: InitAccount;
  /** every byte and cap back: after equals before */
  allReturned?: boolean;
}

function memory(): { rss: number; heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

const REPORT = /^\[init -> sub\] config version "(\d+)": 0 children, ram (\d+) of (\d+) free, caps (\d+) of (\d+) free(?:, capability space (\d+))?/;

export function parseAccount(line: string): { version: number; account: InitAccount } | undefined {
  const m = REPORT.exec(line);
  if (!m) return undefined;
  const account: InitAccount = { ramFree: Number(m[2]), ramQuota: Number(m[3]), capsFree: Number(m[4]), capQuota: Number(m[5]) };
  if (m[6] !== undefined) account.capSpace = Number(m[6]);
  return { version: Number(m[1]), account };
}

/** What did not come back, or "all returned". */
export function quotaDifference(before: InitAccount, after: InitAccount): string {
  const parts: string[] = [];
  const d = (what: string, b: number, a: number) => { if (a !== b) parts.push(`${what} ${a - b > 0 ? '+' : ''}${a - b}`); };
  d('ram quota', before.ramQuota, after.ramQuota);
  d('ram free', before.ramFree, after.ramFree);
  d('cap quota', before.capQuota, after.capQuota);
  d('caps free', before.capsFree, after.capsFree);
  if (before.capSpace !== undefined && after.capSpace !== undefined) d('cap space', before.capSpace, after.capSpace);
  return parts.length ? parts.join(', ') : 'all returned';
}

export const shapeName = (s: ScaleShape) => (s.depth === 0 ? `${s.children} children` : s.children === 0 ? `${s.depth} nested inits` : `${s.children} children, ${s.depth} nested`);

/** Components a shape starts: its children, or its nested inits and their leaf. */
const componentsOf = (s: ScaleShape) => s.children + (s.depth > 0 ? s.depth + 1 : 0);

export async function scale(backend: KernelBackend, shape: ScaleShape): Promise<ScaleResult> {
  const components = componentsOf(shape);
  const base: ScaleResult = { kernel: backend.name, shape: shapeName(shape), components };
  let sc;
  try {
    sc = scaleScenario(shape);
  } catch (e) {
    return { ...base, refused: `refused: ${(e as Error).message}` };
  }
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  let start: { ms: number; mem: { rss: number; heap: number } } | undefined;
  let alive: { ms: number; mem: { rss: number; heap: number } } | undefined;
  let before: InitAccount | undefined;
  let after: InitAccount | undefined;
  let firstError: string | undefined;
  const r = await runScenario(sc, backend, modules, {
    hostLimitMs: 30 * 60_000,
    onLine: (l) => {
      if (firstError === undefined && ERROR_LINE.test(l)) firstError = l;
      const report = parseAccount(l);
      if (report?.version === 0) {
        before = report.account;
        start = { mem: memory(), ms: performance.now() };
      } else if (report?.version === 2) {
        after = report.account;
      } else if (l === '[init -> driver] version 1 complete') {
        alive = { ms: performance.now(), mem: memory() };
      }
    },
  });
  await r.system.shutdown();
  if (r.status !== 'success' || !start || !alive || !before || !after) {
    return { ...base, refused: firstError !== undefined ? `refused: ${firstError}` : `${r.status}: ${r.reason}` };
  }
  const bootMs = alive.ms - start.ms;
  return {
    ...base,
    bootMs,
    msPerComponent: bootMs / components,
    rssKiBPerComponent: (alive.mem.rss - start.mem.rss) / 1024 / components,
    heapKiBPerComponent: (alive.mem.heap - start.mem.heap) / 1024 / components,
    before, after,
    allReturned: quotaDifference(before, after) === 'all returned',
  };
}

const CHILD = fileURLToPath(new URL('./scale_child.js', import.meta.url));

/**
 * `scale` in a fresh process (scale_child.ts), so that a row's memory figures do not
 * depend on the rows measured before it. A child that fails gives its error as the row's
 * refusal.
 */
export function scaleInFreshProcess(kernel: string, shape: ScaleShape): Promise<ScaleResult> {
  const components = componentsOf(shape);
  return new Promise((resolve) => {
    execFile(process.execPath, [CHILD, kernel, String(shape.children), String(shape.depth)],
      { maxBuffer: 16 * 1024 * 1024, timeout: 40 * 60_000 }, (err, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        if (!err && last.startsWith('{')) return resolve(JSON.parse(last) as ScaleResult);
        const why = stderr.trim().split('\n').pop() || (err ? err.message : 'no result');
        resolve({ kernel, shape: shapeName(shape), components, refused: `failed: ${why}` });
      });
  });
}

/** The series: BENCH_SCALE_CHILDREN (e.g. "10,100,1000"), BENCH_SCALE_DEPTH (nested inits, 0: none). */
export function scaleSeries(env: Record<string, string | undefined> = process.env): ScaleShape[] {
  const counts = (env.BENCH_SCALE_CHILDREN ?? '10,100,1000').split(',').map((s) => s.trim()).filter(Boolean);
  const shapes: ScaleShape[] = [];
  for (const c of counts) {
    if (!/^[1-9]\d{0,5}$/.test(c)) throw new Error(`BENCH_SCALE_CHILDREN=${env.BENCH_SCALE_CHILDREN}: "${c}" is not a count of children (e.g. 10,100,1000)`);
    shapes.push({ children: Number(c), depth: 0 });
  }
  const depth = env.BENCH_SCALE_DEPTH ?? '10';
  if (!/^\d{1,2}$/.test(depth)) throw new Error(`BENCH_SCALE_DEPTH=${depth}: give the number of nested inits (0 to 99, 0: none)`);
  if (Number(depth) > 0) shapes.push({ children: 0, depth: Number(depth) });
  return shapes;
}

const cell = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toFixed(digits));

/** The table npm run bench prints: a row per kernel and shape. */
export function scaleTable(rows: ScaleResult[]): string {
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 ? c.padEnd(i === 0 ? 8 : 18) : c.padStart(12))).join('').trimEnd();
  const out = [line(['kernel', 'shape', 'components', 'boot ms', 'ms/comp.', 'RSS KiB/c.', 'heap KiB/c.']) + '  quota after teardown'];
  for (const r of rows) {
    const cols = [r.kernel, r.shape, String(r.components)];
    if (r.refused !== undefined) {
      out.push(`${line(cols)}  ${r.refused}`);
      continue;
    }
    out.push(`${line([...cols, cell(r.bootMs, 0), cell(r.msPerComponent, 2), cell(r.rssKiBPerComponent, 0), cell(r.heapKiBPerComponent, 0)])}  ${quotaDifference(r.before!, r.after!)}`);
  }
  return out.join('\n');
}
