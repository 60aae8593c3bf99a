/*
 * A network namespace of the caller's own with a TAP device for `tool/run --nic tap`: socat
 * in the namespace makes tap0 (10.0.2.1/24, the host's end) and forwards each frame as one
 * UDP datagram on the namespace's 127.0.0.1 (see nic_wire.ts). tool/run and the host's tools
 * run inside it with `ip netns exec`, so no traffic leaves it. Needs root (ip netns add);
 * `obstacle()` says why not where it cannot work. Host tool only (test/run/net_host.test.ts,
 * tool/bench/net_host.ts).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { DEFAULT_TAP_PORTS } from './nic_wire.js';

export interface CmdResult { status: number | null; stdout: string; stderr: string }

export function run(cmd: string, args: string[], timeoutMs = 60_000): CmdResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

export function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

export class TapNamespace {
  readonly ports = DEFAULT_TAP_PORTS;
  private socat: ChildProcess | undefined;
  private created = false;

  constructor(readonly name: string) {}

  /** Why a namespace with a TAP device cannot be made here (`tools` must be installed too), or undefined. */
  obstacle(tools: string[] = ['ip', 'socat']): string | undefined {
    for (const tool of tools) if (!have(tool)) return `${tool} is not installed`;
    const add = run('ip', ['netns', 'add', this.name]);
    if (add.status !== 0) return `ip netns add is not permitted here: ${add.stderr.trim()}`;
    const tap = this.exec('ip', ['tuntap', 'add', 'dev', 'probe0', 'mode', 'tap']);
    this.exec('ip', ['tuntap', 'del', 'dev', 'probe0', 'mode', 'tap']);
    run('ip', ['netns', 'del', this.name]);
    if (tap.status !== 0) return `TAP devices cannot be created here: ${tap.stderr.trim()}`;
    return undefined;
  }

  /** Creates the namespace, brings lo up, starts socat and waits for tap0. */
  async create(): Promise<void> {
    const add = run('ip', ['netns', 'add', this.name]);
    if (add.status !== 0) throw new Error(`ip netns add ${this.name}: ${add.stderr.trim()}`);
    this.created = true;
    this.exec('ip', ['link', 'set', 'lo', 'up']);
    /* no IPv6 chatter on the TAP device: only what the caller sends */
    this.exec('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    this.socat = this.spawn('socat', ['TUN:10.0.2.1/24,tun-type=tap,iff-no-pi,iff-up,tun-name=tap0',
      `UDP-DATAGRAM:127.0.0.1:${this.ports.local},bind=127.0.0.1:${this.ports.remote}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    this.socat.stderr!.on('data', (d) => { err += d; });
    for (let i = 0; i < 50 && this.exec('ip', ['link', 'show', 'tap0']).status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    if (this.exec('ip', ['link', 'show', 'tap0']).status !== 0) throw new Error(`socat made no tap0: ${err}`);
  }

  /** Runs `cmd` inside the namespace and waits for it. */
  exec(cmd: string, args: string[], timeoutMs?: number): CmdResult {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], timeoutMs);
  }

  /** Starts `cmd` inside the namespace. */
  spawn(cmd: string, args: string[], opts: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'] }): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** Stops socat and removes the namespace (with everything in it). */
  destroy(): void {
    this.socat?.kill('SIGKILL');
    this.socat = undefined;
    if (this.created) run('ip', ['netns', 'del', this.name]);
    this.created = false;
  }
}
