/*
 * Network throughput on every kernel backend: runs the net_bench scenario and reads host
 * and virtual time at its "bench" markers. Beneath everything, the NIC packet streams
 * (1514-byte frames to nic_loopback and back); against that, in the same run, the frames per
 * second nic_drv and the emulated e1000 sustain (the same frames over the cable between two
 * cards to an echo and back) and TCP between two components through nic_bridge (two TCP/IP
 * stacks, three NIC sessions per frame's way), each as a ratio to the packet streams.
 */
import type { KernelBackend, RunningSystem } from '../runner/backend.js';
import { NET_BENCH_DEFAULTS } from '../../os/run/net_bench.js';
import { loadScenario, loadTargets } from '../runner/repositories.js';
import { hostTcpBench } from './net_host.js';
import { bootModulesFor, runScenario } from '../runner/run_scenario.js';

const MARKER = /\] bench (\S+) (start|done) (\d+)$/;

export interface NetBenchRow {
  kernel: string;
  /** NIC packet streams: payload MiB/s and frames per second (each frame there and back). */
  nicHostMiBs: number;
  nicFramesPerS: number;
  /** The same frames through nic_drv and the e1000 over the cable and back: frames per second. */
  cardFramesPerS: number;
  /** Card frames per second / packet-stream frames per second, by host time. */
  cardXNic: number;
  tcpHostMiBs: number;
  /** TCP throughput / packet-stream throughput, by host time. */
  tcpXNic: number;
  nicVirtualMiBs?: number;
  tcpVirtualMiBs?: number;
  tcpXNicVirtual?: number;
  cardVirtualFramesPerS?: number;
  cardXNicVirtual?: number;
  /**
   * The host's own TCP stack through --nic tap (tool/bench/net_host.ts): host -> component
   * (send) and component -> host (receive) MiB/s, each as a ratio to the packet streams;
   * or why not (hostSkipped).
   */
  hostSendMiBs?: number;
  hostSendXNic?: number;
  hostReceiveMiBs?: number;
  hostReceiveXNic?: number;
  hostSkipped?: string;
}

/** hostBytes: bytes each way between the host and a component (0: no host rows). */
export interface NetBenchOptions { frames?: number; cardFrames?: number; bytes?: number; hostBytes?: number }

const FRAME = 1514;
const mib = (bytes: number, ns: number) => (ns > 0 ? bytes / 2 ** 20 / (ns / 1e9) : 0);
const perS = (n: number, ns: number) => (ns > 0 ? n / (ns / 1e9) : 0);

export async function netBench(backends: KernelBackend[], opts: NetBenchOptions = {}): Promise<NetBenchRow[]> {
  const sc = await loadScenario('net_bench', {
    frames: String(opts.frames ?? NET_BENCH_DEFAULTS.frames),
    card_frames: String(opts.cardFrames ?? NET_BENCH_DEFAULTS.cardFrames),
    bytes: String(opts.bytes ?? NET_BENCH_DEFAULTS.bytes),
  });
  if (!sc) throw new Error('scenario net_bench is missing');
  const targets = await loadTargets();
  const rows: NetBenchRow[] = [];
  for (const backend of backends) {
    const modules = await bootModulesFor(sc, targets, backend);
    let system: RunningSystem | undefined;
    const open = new Map<string, { hostNs: bigint; virtualMs: number }>();
    const spans = new Map<string, { hostNs: number; virtualMs: number; bytes: number }>();
    const r = await runScenario(sc, backend, modules, {
      hostLimitMs: 600_000,
      onBoot: (s) => (system = s),
      onLine: (line) => {
        const m = MARKER.exec(line);
        if (!m) return;
        const [, op, what, n] = m;
        const now = { hostNs: process.hrtime.bigint(), virtualMs: system?.elapsedMs() ?? 0 };
        if (what === 'start') open.set(op!, now);
        const start = open.get(op!);
        if (what === 'done' && start) {
          spans.set(op!, { hostNs: Number(now.hostNs - start.hostNs), virtualMs: now.virtualMs - start.virtualMs, bytes: Number(n) });
        }
      },
    });
    await r.system.shutdown();
    if (r.status !== 'success') throw new Error(`net_bench on ${backend.name}: ${r.status}: ${r.reason}`);
    const nic = spans.get('nic-1514');
    const card = spans.get('card-1514');
    const tcp = spans.get('tcp');
    if (!nic || !card || !tcp) throw new Error(`net_bench on ${backend.name}: markers missing`);
    const row: NetBenchRow = {
      kernel: backend.name,
      nicHostMiBs: mib(nic.bytes, nic.hostNs),
      nicFramesPerS: perS(nic.bytes / FRAME, nic.hostNs),
      cardFramesPerS: perS(card.bytes / FRAME, card.hostNs),
      cardXNic: 0,
      tcpHostMiBs: mib(tcp.bytes, tcp.hostNs),
      tcpXNic: 0,
    };
    row.cardXNic = row.cardFramesPerS / row.nicFramesPerS;
    row.tcpXNic = row.tcpHostMiBs / row.nicHostMiBs;
    if (backend.emulated) {
      row.nicVirtualMiBs = mib(nic.bytes, nic.virtualMs * 1e6);
      row.tcpVirtualMiBs = mib(tcp.bytes, tcp.virtualMs * 1e6);
      row.tcpXNicVirtual = row.tcpVirtualMiBs / row.nicVirtualMiBs;
      row.cardVirtualFramesPerS = perS(card.bytes / FRAME, card.virtualMs * 1e6);
      row.cardXNicVirtual = row.cardVirtualFramesPerS / perS(nic.bytes / FRAME, nic.virtualMs * 1e6);
    }
    rows.push(row);
  }
  if (opts.hostBytes) {
    for (const h of await hostTcpBench(rows.map((r) => r.kernel), opts.hostBytes)) {
      const row = rows.find((r) => r.kernel === h.kernel)!;
      if (h.skipped !== undefined || h.sendMiBs === undefined || h.receiveMiBs === undefined) {
        row.hostSkipped = h.skipped ?? 'no figures';
        continue;
      }
      row.hostSendMiBs = h.sendMiBs;
      row.hostSendXNic = h.sendMiBs / row.nicHostMiBs;
      row.hostReceiveMiBs = h.receiveMiBs;
      row.hostReceiveXNic = h.receiveMiBs / row.nicHostMiBs;
    }
  }
  return rows;
}

export function netBenchTable(rows: NetBenchRow[]): string {
  const out: string[] = [];
  const table = (widths: number[], head: string[], body: string[][]) => {
    const line = (c: string[]) => out.push(c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join(''));
    line(head);
    body.forEach(line);
  };
  const fmt = (x: number | undefined, d = 1) => (x === undefined ? '-' : x >= 1000 ? x.toFixed(0) : x.toFixed(d));
  out.push('host time:');
  table([8, 11, 10, 11, 8, 11, 8, 12, 8, 12, 8],
    ['kernel', 'NIC MiB/s', 'NIC fr/s', 'card fr/s', 'x NIC', 'TCP MiB/s', 'x NIC', 'host->c', 'x NIC', 'c->host', 'x NIC'],
    rows.map((r) => [r.kernel, fmt(r.nicHostMiBs), fmt(r.nicFramesPerS, 0), fmt(r.cardFramesPerS, 0), fmt(r.cardXNic, 3), fmt(r.tcpHostMiBs), fmt(r.tcpXNic, 3),
      fmt(r.hostSendMiBs), fmt(r.hostSendXNic, 3), fmt(r.hostReceiveMiBs), fmt(r.hostReceiveXNic, 3)]));
  const emulated = rows.filter((r) => r.nicVirtualMiBs !== undefined);
  if (emulated.length > 0) {
    out.push('virtual time:');
    table([8, 11, 11, 8, 11, 8],
      ['kernel', 'NIC MiB/s', 'card fr/s', 'x NIC', 'TCP MiB/s', 'x NIC'],
      emulated.map((r) => [r.kernel, fmt(r.nicVirtualMiBs), fmt(r.cardVirtualFramesPerS, 0), fmt(r.cardXNicVirtual, 3), fmt(r.tcpVirtualMiBs), fmt(r.tcpXNicVirtual, 3)]));
  }
  out.push('');
  out.push('NIC: 1514-byte frames through a NIC session to nic_loopback and back (32 in flight): the packet streams beneath.');
  out.push('card: the same frames through nic_drv and the emulated e1000 over the cable to the second card, an echo there, and back; x NIC = frames/s ratio.');
  out.push('TCP: one connection between two components (two TCP/IP stacks) through nic_bridge into a sink; x NIC = TCP / NIC throughput.');
  out.push('host->c, c->host: the host\'s own TCP stack (--nic tap, network namespace) into a sink component / downloading from http_server, MiB/s.');
  for (const r of rows) if (r.hostSkipped !== undefined) out.push(`host rows on ${r.kernel} skipped: ${r.hostSkipped}`);
  return out.join('\n');
}
