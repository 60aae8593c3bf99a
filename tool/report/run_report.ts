/*
 * Runs tool/ipc-report in a process of its own: Vega-Lite patches Set.prototype when it
 * loads, which the hardened (SES lockdown) realm of tool/run, the bench and the tests refuses.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPORT_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** Renders the chart of `input` (an ipc_bench or bench JSON) into `cwd`/bench-results; returns the files written. */
export function runIpcReport(input: string, cwd = process.cwd()): string[] {
  const r = spawnSync(process.execPath, [REPORT_MAIN, input], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tool/ipc-report ${input} failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('wrote ')).map((l) => l.slice(6));
}
