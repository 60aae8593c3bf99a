/* The IPC chart rasterised to RGBA, for a PNG next to the SVG (same layout). */
import type { BenchResult } from '../runner/bench_markers.js';
import { layoutChart } from './ipc_chart.js';
import { drawText } from './tiny_font.js';

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 0xff, n & 0xff];
}

export function ipcChartRgba(results: BenchResult[]): { width: number; height: number; rgba: Uint8Array } {
  const l = layoutChart(results);
  const { width, height } = l;
  const rgba = new Uint8Array(width * height * 4).fill(255);
  const set = (x: number, y: number, [r, g, b]: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (Math.floor(y) * width + Math.floor(x)) * 4;
    rgba[i] = r; rgba[i + 1] = g; rgba[i + 2] = b; rgba[i + 3] = 255;
  };
  const fill = (x: number, y: number, w: number, h: number, c: [number, number, number]) => {
    for (let yy = Math.floor(y); yy < y + h; yy++) for (let xx = Math.floor(x); xx < x + w; xx++) set(xx, yy, c);
  };
  const black: [number, number, number] = [0, 0, 0];
  const text = (s: string, x: number, y: number) => drawText(s, x, y, 2, (px, py) => set(px, py, black));
  text('ipc cost per operation (cycles, log scale)', 10, 6);
  l.kernels.forEach((k, i) => {
    const color = l.bars.find((b) => b.kernel === k)!.color;
    fill(110 + i * 90, 24, 10, 10, rgb(color));
    text(k, 124 + i * 90, 24);
  });
  for (const op of l.ops) text(op, 6, l.bars.find((b) => b.op === op)!.y + 1);
  for (const b of l.bars) {
    fill(b.x, b.y, b.w, b.h, rgb(b.color));
    text(b.value.toFixed(0), b.x + b.w + 4, b.y + 1);
  }
  return { width, height, rgba };
}
