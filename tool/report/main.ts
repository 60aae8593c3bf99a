/*
 * tool/ipc-report [results.json]: renders the IPC comparison that `tool/run --kernel all
 * ipc_bench` (bench-results/ipc_bench.json) or `npm run bench` (bench-results/bench.json)
 * wrote, as bench-results/ipc.svg and bench-results/ipc.png: the same files `npm run bench`
 * writes, so there is one chart under one name.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchResult } from '../runner/bench_markers.js';
import { ipcChartSvg, svgToPng } from './ipc_chart.js';

export const IPC_CHART_PREFIX = 'bench-results/ipc';

export async function writeIpcReport(results: BenchResult[], prefix = IPC_CHART_PREFIX): Promise<string[]> {
  const svg = await ipcChartSvg(results);
  mkdirSync(dirname(prefix), { recursive: true });
  writeFileSync(`${prefix}.svg`, svg);
  writeFileSync(`${prefix}.png`, svgToPng(svg));
  return [`${prefix}.svg`, `${prefix}.png`];
}

async function main(): Promise<void> {
  const input = process.argv[2] ?? 'bench-results/ipc_bench.json';
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
  for (const f of await writeIpcReport(results)) process.stdout.write(`wrote ${f}\n`);
}

if (process.argv[1]?.endsWith('report/main.js')) await main();
