/*
 * Host <-> component TCP for npm run bench: the host's own TCP/IP stack against the
 * net_host_bench scenario on the emulated e1000 through `--nic tap`, in a network namespace
 * this bench creates (tool/runner/tap_namespace.ts). tool/run and the host's end
 * (host_tcp_client.ts) run inside it; nothing leaves it. Host time only: frames from the
 * host arrive in real time.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TapNamespace } from '../runner/tap_namespace.js';

const MAIN = fileURLToPath(new URL('../runner/main.js', import.meta.url));
const CLIENT = fileURLToPath(new URL('./host_tcp_client.js', import.meta.url));
const READY = [/\[init -> http_server\] http_server on 10\.0\.2\.15:80/, /\[init -> sink\] sink listening on port 9/];

export interface HostTcpResult {
  kernel: string;
  /** Host -> component (into the sink) and component -> host (http_server's file), MiB/s. */
  sendMiBs?: number;
  receiveMiBs?: number;
  /** Why there are no figures (no namespaces here, or the run failed). */
  skipped?: string;
}

const mib = (bytes: number, ns: number) => (ns > 0 ? bytes / 2 ** 20 / (ns / 1e9) : 0);

/** Why the host rows cannot be measured on this machine, or undefined. */
export function hostTcpObstacle(): string | undefined {
  return new TapNamespace(`gts_nbp_${process.pid}`).obstacle(['ip', 'socat']);
}

async function oneKernel(ns: TapNamespace, kernel: string, bytes: number): Promise<HostTcpResult> {
  let runner: ChildProcess | undefined;
  let out = '';
  try {
    runner = ns.spawn(process.execPath, [MAIN, '--kernel', kernel, '--nic', 'tap', '--tap-ports', `${ns.ports.local}:${ns.ports.remote}`,
      '--timeout', '36000s', '--param', 'host=yes', 'net_host_bench']);
    runner.stdout!.on('data', (d) => { out += d; });
    runner.stderr!.on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((r) => runner!.on('exit', (code) => r(code)));
    const ready = await Promise.race([
      (async () => { while (!READY.every((re) => re.test(out))) await new Promise((r) => setTimeout(r, 200)); return true; })(),
      exited.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 180_000)),
    ]);
    if (!ready) return { kernel, skipped: `net_host_bench did not come up: ${out.split('\n').slice(-5).join(' | ')}` };
    const client = ns.exec(process.execPath, [CLIENT, String(bytes)], 600_000);
    if (client.status !== 0) return { kernel, skipped: `host client failed: ${client.stderr.trim()}` };
    const r = JSON.parse(client.stdout) as { send: { bytes: number; ns: number }; receive: { bytes: number; ns: number } };
    const code = await Promise.race([exited, new Promise<null>((res) => setTimeout(() => res(null), 60_000))]);
    if (code !== 0) return { kernel, skipped: `tool/run ended with ${code}: ${out.split('\n').slice(-5).join(' | ')}` };
    return { kernel, sendMiBs: mib(r.send.bytes, r.send.ns), receiveMiBs: mib(r.receive.bytes, r.receive.ns) };
  } finally {
    runner?.kill('SIGKILL');
  }
}

/** One result per kernel; where the machine has no namespaces, each says why in `skipped`. */
export async function hostTcpBench(kernels: string[], bytes: number): Promise<HostTcpResult[]> {
  const why = hostTcpObstacle();
  if (why) return kernels.map((kernel) => ({ kernel, skipped: why }));
  const ns = new TapNamespace(`gts_nb_${process.pid}`);
  try {
    await ns.create();
    const results: HostTcpResult[] = [];
    for (const kernel of kernels) results.push(await oneKernel(ns, kernel, bytes));
    return results;
  } finally {
    ns.destroy();
  }
}
