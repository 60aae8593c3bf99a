/*
 * The IPC comparison as a chart (Vega-Lite, rendered to SVG by Vega and to PNG by resvg):
 * two panels side by side, a row per benchmark operation with its own linear axis and a bar
 * per kernel, each bar labelled with its value:
 *   - emulated cycles per operation (the emulated kernels' TSC: comparable across kernels);
 *   - host time per operation in ns (every backend, linux included: what this machine took).
 * A kernel that cannot do an operation gets a labelled "unsupported" cell, not a gap.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchResult } from '../runner/bench_markers.js';

interface Row { op: string; kernel: string; value: number; label: string }

function rows(results: BenchResult[], metric: 'cycles' | 'hostNs'): Row[] {
  const out: Row[] = [];
  for (const r of results) {
    if (r.unsupported) {
      /* only where the panel has the kernel at all (linux has no cycles) */
      if (metric === 'hostNs' || results.some((x) => x.kernel === r.kernel && x.cycles !== undefined)) {
        out.push({ op: r.op, kernel: r.kernel, value: 0, label: `${r.kernel}: unsupported` });
      }
      continue;
    }
    const v = metric === 'cycles' ? r.cycles : r.hostNs;
    if (v === undefined) continue;
    out.push({ op: r.op, kernel: r.kernel, value: v, label: v.toFixed(0) });
  }
  return out;
}

/*
 * One panel: a row per operation, each with its own linear axis (the operations span four
 * orders of magnitude: on one shared linear axis the small ones would vanish, on a log axis
 * 310 and 510 look alike), a bar per kernel.
 */
function panel(title: string, axis: string, data: Row[], ops: string[], kernels: string[]) {
  return {
    title,
    data: { values: data },
    facet: { row: { field: 'op', type: 'nominal', sort: ops, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } } },
    spec: {
      width: 280,
      height: { step: 13 },
      encoding: {
        y: { field: 'kernel', type: 'nominal', sort: kernels, title: null, axis: { labels: false, ticks: false } },
        x: { field: 'value', type: 'quantitative', title: axis, axis: { grid: true, tickCount: 4, format: '~s' } },
        color: { field: 'kernel', sort: kernels, title: 'kernel', scale: { scheme: 'tableau10' } },
      },
      layer: [
        { mark: { type: 'bar' }, encoding: { tooltip: [{ field: 'kernel' }, { field: 'op' }, { field: 'label', title: axis }] } },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 }, encoding: { text: { field: 'label' }, color: { value: '#333' } } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  };
}

/** The Vega-Lite specification of the chart (exported for tests). */
export function ipcChartSpec(results: BenchResult[]): TopLevelSpec {
  const ops = [...new Set(results.map((r) => r.op))];
  const kernels = [...new Set(results.map((r) => r.kernel))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'IPC cost per operation', subtitle: 'ipc_bench: bar length and label are the value (linear scales)' },
    background: 'white',
    config: { font: 'DejaVu Sans', view: { stroke: null } },
    hconcat: [
      panel('emulated cycles (kernel TSC)', 'cycles per operation', rows(results, 'cycles'), ops, kernels),
      panel('host time (this machine)', 'ns per operation', rows(results, 'hostNs'), ops, kernels),
    ],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

export async function ipcChartSvg(results: BenchResult[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(ipcChartSpec(results)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
