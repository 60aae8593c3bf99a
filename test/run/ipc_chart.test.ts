/*
 * The IPC chart (tool/ipc-report, its own process: Vega-Lite cannot load in the hardened
 * realm): both series (emulated cycles; host time with linux), labelled values on linear
 * axes, unsupported cells named, an SVG and a PNG of the same size that is not blank.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng } from '../../tool/runner/png.js';
import type { BenchResult } from '../../tool/runner/bench_markers.js';
import { runIpcReport } from '../../tool/report/run_report.js';

const results: BenchResult[] = [
  { kernel: 'nova', op: 'null', iterations: 10, cycles: 310, hostNs: 9000 },
  { kernel: 'okl4', op: 'null', iterations: 10, cycles: 510, hostNs: 11000 },
  { kernel: 'linux', op: 'null', iterations: 10, hostNs: 2500 },
  { kernel: 'nova', op: 'payload512', iterations: 10, cycles: 700, hostNs: 12000 },
  { kernel: 'okl4', op: 'payload512', iterations: 0, hostNs: 0, unsupported: 'exceeds the message registers' },
  { kernel: 'linux', op: 'payload512', iterations: 10, hostNs: 2700 },
];

test('tool/ipc-report writes bench-results/ipc.svg and .png with both series', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ipc-chart-'));
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ ipc: results }));
  t.deepEqual(runIpcReport('bench.json', dir), ['bench-results/ipc.svg', 'bench-results/ipc.png']);
  const svg = readFileSync(join(dir, 'bench-results/ipc.svg'), 'utf8');
  for (const s of ['310', '510', '2500', '2700', 'okl4: unsupported', 'emulated cycles', 'host time', 'linux']) t.true(svg.includes(s), s);
  const png = decodePng(readFileSync(join(dir, 'bench-results/ipc.png')));
  t.is(png.width, Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]));
  let ink = 0;
  for (let i = 0; i < png.rgba.length; i += 4) if (png.rgba[i]! < 200) ink++;
  t.true(ink > 500, 'the PNG is not blank');
});

test('tool/ipc-report refuses a file without results, naming it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ipc-chart-'));
  writeFileSync(join(dir, 'empty.json'), '{"results": []}');
  t.throws(() => runIpcReport('empty.json', dir), { message: /empty\.json holds no benchmark results/ });
  t.throws(() => runIpcReport('missing.json', dir), { message: /cannot read missing\.json/ });
});
