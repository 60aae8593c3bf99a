/*
 * Runs one scenario on one backend: boots it, watches the output for the success and
 * failure patterns, and ends on success, failure, time-out or a halted system.
 */
import { BootModules } from '../../base/src/core/boot_modules.js';
import type { Scenario } from '../../base/src/scenario.js';
import { DiskImage } from '../pc/disk.js';
import type { KernelBackend, MachineStorage, RunningSystem } from './backend.js';
import { MachineScript } from './machine_script.js';
import { networkFor } from './nic_wire.js';
import type { NicWire } from '../../base/src/scenario.js';

export type RunStatus = 'success' | 'failure' | 'timeout' | 'halted';

export interface RunResult {
  status: RunStatus;
  /** What happened, e.g. which pattern was still awaited. */
  reason: string;
  output: string[];
  elapsedMs: number;
  hostMs: number;
  stats?: Record<string, number>;
  system: RunningSystem;
}

export interface RunOptions {
  onLine?: (line: string) => void;
  /** Overrides the scenario's time limit. */
  timeoutMs?: number;
  /** Real-time limit on emulated kernels, against a run that never advances virtual time. */
  hostLimitMs?: number;
  /** Called once the system is booting (before any output). */
  onBoot?: (system: RunningSystem) => void;
  /**
   * Genode's run_genode_until forever: neither the patterns nor a halt nor the time limit
   * end the run (`onReady` is told when the success patterns matched); `until` does.
   */
  forever?: { until: Promise<{ status: RunStatus; reason: string }>; onReady?: () => void };
  /** The machine's drives for this run (tool/run --disk/--cdrom); otherwise the scenario's images. */
  storage?: () => MachineStorage;
  /** The wire of the network cards (tool/run --nic); otherwise the scenario's. */
  nic?: NicWire;
  /** Add the sound card even if the scenario does not ask for it (tool/run --audio-out). */
  audio?: boolean;
  /** UDP ports on 127.0.0.1 of the TAP bridge with --nic tap. */
  tapPorts?: { local: number; remote: number };
}

/** Fresh copies of the images a scenario generates, so that every run starts from the same bytes. */
export function scenarioStorage(sc: Scenario): MachineStorage {
  return {
    disks: (sc.disks ?? []).map((bytes, i) => new DiskImage(bytes.slice(), { name: `disk ${i} of the scenario` })),
    cdrom: sc.cdrom ? new DiskImage(sc.cdrom.slice(), { name: 'the scenario\'s CD', blockSize: 2048, readOnly: true, padToBlock: true }) : undefined,
  };
}

/** The boot modules of a scenario; a kernel's own binaries (its timer) replace the repositories' ones. */
export async function bootModulesFor(sc: Scenario, targets: Map<string, string>, backend?: KernelBackend): Promise<BootModules> {
  const modules = new BootModules();
  for (const name of ['init', ...sc.modules]) {
    const url = backend?.binaries?.[name] ?? targets.get(name);
    if (!url) throw new Error(`scenario needs binary "${name}", which no repository builds`);
    modules.addBinary(name, url);
  }
  modules.addData('config', sc.config);
  for (const [name, content] of Object.entries(sc.roms ?? {})) modules.addData(name, content);
  /* load every binary up front, so boot time is not spent in module loading */
  for (const name of ['init', ...sc.modules]) await BootModules.load(modules.binary(name)!);
  return modules;
}

function describe(p: RegExp): string {
  return `/${p.source}/`;
}

export function runScenario(sc: Scenario, backend: KernelBackend, modules: BootModules, opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? sc.timeoutMs;
  const hostLimitMs = opts.hostLimitMs ?? Math.max(30_000, timeoutMs * 3);
  const output: string[] = [];
  const start = performance.now();
  /* every success pattern must appear; in any order, since real-time backends interleave */
  const awaiting = new Set(sc.patterns);
  let done = false;
  let ready = false;
  let finish!: (status: RunStatus, reason: string) => void;

  const result = new Promise<RunResult>((resolve) => {
    finish = (status, reason) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      network.close();
      resolve({
        status, reason, output, elapsedMs: system.elapsedMs(), hostMs: performance.now() - start,
        stats: system.stats(), system,
      });
    };
  });

  const log = (line: string) => {
    if (done) return;
    output.push(line);
    opts.onLine?.(line);
    if (sc.fail && !opts.forever && sc.fail.test(line)) return finish('failure', `output matched the failure pattern ${describe(sc.fail)}: ${line}`);
    for (const p of [...awaiting]) if (p.test(line)) awaiting.delete(p);
    machine.line(line);
    if (awaiting.size === 0 && opts.forever) {
      if (!ready) opts.forever.onReady?.();
      ready = true;
    } else if (awaiting.size === 0) {
      const problem = machine.finalProblem();
      if (problem) finish('failure', problem);
      else finish('success', `matched ${sc.patterns.map(describe).join(', ')}`);
    }
  };

  const machine = new MachineScript(sc, log, backend.name);
  const backendTime = backend.emulated ? 'virtual time' : 'real time';
  const awaited = () => `waited for ${[...awaiting].map(describe).join(', ')}`;
  const network = networkFor(sc, opts.nic, opts.tapPorts);
  const storage = { ...(opts.storage?.() ?? scenarioStorage(sc)), nics: network.nics, wireNics: network.wireNics, audio: sc.audio || opts.audio };
  const system = backend.boot({ modules, ramMiB: sc.ramMiB ?? 64, storage, log });
  machine.attach(system.machine);
  opts.onBoot?.(system);
  system.onHalt(() => !done && !opts.forever && finish('halted', `the system halted (every thread blocked, no event pending); ${awaited()}`));
  /* a run until `until` has no time limit to watch (and an idle live demo should not wake the host every 10 ms) */
  const timer = opts.forever ? undefined : setInterval(() => {
    if (done) return;
    if (system.elapsedMs() > timeoutMs) finish("timeout", `timed out after ${timeoutMs} ms (${backendTime}); ${awaited()}`);
    else if (performance.now() - start > hostLimitMs) finish('timeout', `no result within ${hostLimitMs} ms of real time; ${awaited()}`);
  }, 10);
  void opts.forever?.until.then((end) => finish(end.status, end.reason));
  return result;
}
