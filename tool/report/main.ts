/*
 * tool/ipc-report [results.json] [out-prefix]: renders the IPC comparison that
 * `tool/run --kernel all ipc_bench` (or `npm run bench`) wrote as an SVG bar chart and a PNG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from '../runner/bench_markers.js';
import { encodePng } from '../runner/png.js';
import { ipcChartSvg } from './ipc_chart.js';
import { ipcChartRgba } from './ipc_png.js';

export function writeIpcReport(results: BenchResult[], prefix: string): string[] {
  writeFileSync(`${prefix}.svg`, ipcChartSvg(results));
  const { width, height, rgba } = ipcChartRgba(results);
  writeFileSync(`${prefix}.png`, encodePng(width, height, rgba));
  return [`${prefix}.svg`, `${prefix}.png`];
}

if (process.argv[1]?.endsWith('report/main.js')) {
  const input = process.argv[2] ?? 'bench-results/ipc_bench.json';
  const prefix = process.argv[3] ?? input.replace(/\.json$/, '');
  let data: { results?: BenchResult[]; ipc?: BenchResult[] };
  try {
    data = JSON.parse(readFileSync(input, 'utf8'));
  } catch (e) {
    process.stderr.write(`tool/ipc-report: cannot read ${input}: ${(e as Error).message}\n(run tool/run --kernel all ipc_bench first)\n`);
    process.exit(2);
  }
  const results = data.results ?? data.ipc ?? [];
  if (results.length === 0) {
    process.stderr.write(`tool/ipc-report: ${input} holds no benchmark results\n`);
    process.exit(2);
  }
  for (const f of writeIpcReport(results, prefix)) process.stdout.write(`wrote ${f}\n`);
}
