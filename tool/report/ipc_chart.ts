/*
 * The IPC comparison as an SVG bar chart: one group per benchmark operation, one bar per
 * kernel, bar length in emulated cycles per operation (log scale: the operations span four
 * orders of magnitude). Built from the results tool/run writes for ipc_bench.
 */
import type { BenchResult } from '../runner/bench_markers.js';

const COLORS = ['#2f6db5', '#d9822b', '#3c9a5f', '#a3479a', '#777777'];

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export interface ChartLayout {
  width: number;
  height: number;
  bars: Array<{ op: string; kernel: string; x: number; y: number; w: number; h: number; color: string; value: number }>;
  kernels: string[];
  ops: string[];
}

/** Geometry shared by the SVG and the PNG renderings. */
export function layoutChart(results: BenchResult[]): ChartLayout {
  const measured = results.filter((r) => r.cycles !== undefined && !r.unsupported);
  const ops = [...new Set(measured.map((r) => r.op))];
  const kernels = [...new Set(measured.map((r) => r.kernel))];
  const max = Math.max(...measured.map((r) => r.cycles!));
  const labelW = 110;
  const plotW = 560;
  const barH = 14;
  const groupH = kernels.length * barH + 12;
  const top = 40;
  const scale = (v: number) => (Math.log10(Math.max(v, 1)) / Math.log10(Math.max(max, 10))) * plotW;
  const bars: ChartLayout['bars'] = [];
  ops.forEach((op, i) => {
    kernels.forEach((kernel, k) => {
      const r = measured.find((x) => x.op === op && x.kernel === kernel);
      if (!r) return;
      bars.push({ op, kernel, x: labelW, y: top + i * groupH + k * barH, w: Math.max(1, scale(r.cycles!)), h: barH - 2, color: COLORS[k % COLORS.length]!, value: r.cycles! });
    });
  });
  return { width: labelW + plotW + 90, height: top + ops.length * groupH + 30, bars, kernels, ops };
}

export function ipcChartSvg(results: BenchResult[]): string {
  const l = layoutChart(results);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="10" y="18" font-size="14" font-weight="bold">IPC cost per operation (emulated cycles, log scale)</text>`);
  l.kernels.forEach((k, i) => {
    out.push(`<rect x="${110 + i * 90}" y="24" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${124 + i * 90}" y="33">${escape(k)}</text>`);
  });
  for (const op of l.ops) {
    const first = l.bars.find((b) => b.op === op)!;
    out.push(`<text x="10" y="${first.y + 10}">${escape(op)}</text>`);
  }
  for (const b of l.bars) {
    out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w.toFixed(1)}" height="${b.h}" fill="${b.color}"><title>${escape(`${b.kernel} ${b.op}: ${b.value.toFixed(0)} cycles`)}</title></rect>`);
    out.push(`<text x="${(b.x + b.w + 4).toFixed(1)}" y="${b.y + 10}">${b.value.toFixed(0)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
