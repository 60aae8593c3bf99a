/*
 * tool/run: boots a scenario on a kernel and judges its output.
 *
 *   tool/run --kernel nova log        run base/run/log.ts on the NOVA backend
 *   tool/run --kernel all log rpc     run two scenarios on every backend, print a table
 *
 * Exit status: 0 all succeeded, 1 a scenario failed or timed out, 2 bad usage.
 */
import '../../base/src/loader/lockdown.js'; // first: harden the realm before anything else runs
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { NicWire, Scenario } from '../../base/src/scenario.js';
import { createContainer, kernelBackends } from './container.js';
import { findScenario, listScenarios, loadScenario, loadTargets } from './repositories.js';
import { bootModulesFor, runScenario, type RunResult } from './run_scenario.js';
import { saveScreenshot, screenshotPath } from './screenshot.js';
import { HostDiskFile } from './host_disk.js';
import { WavFileWriter } from './wav_writer.js';
import { Pc } from '../pc/pc.js';
import { AHCI_PORTS } from '../pc/ahci.js';
import { BenchMarkers, benchTable, type BenchResult } from './bench_markers.js';
import { costReport } from '../cost/cost_report.js';
import type { RunningSystem } from './backend.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LiveDisplay } from '../display/live.js';

function usageError(text: string): never {
  process.stderr.write(`tool/run: ${text}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const backends = kernelBackends(createContainer());
  const kernelNames = backends.map((b) => b.name);
  const argv = await yargs(hideBin(process.argv))
    .scriptName('tool/run')
    .usage('$0 --kernel <kernel> <scenario...>\n\nBoots core and init with each scenario\'s config on the chosen kernel, prints the LOG output, and ends when the scenario\'s success patterns have all appeared (exit 0) or its failure pattern appears, its time runs out or the system halts (exit 1). Bad flags, an unknown scenario or kernel exit 2. An interactive scenario (the demo) instead serves a live web display of the machine on 127.0.0.1 and runs until Ctrl-C; with --headless, or when several runs are asked for, it ends once booted.')
    .option('kernel', { alias: 'k', type: 'string', default: 'nova', requiresArg: true, describe: `kernel backend: ${[...kernelNames, 'all'].join(', ')}` })
    .option('timeout', { type: 'string', describe: 'override the scenario\'s time limit (e.g. 30s); virtual time on emulated kernels' })
    .option('breakdown', { type: 'boolean', default: false, describe: 'with benchmark scenarios: the kernel operations counted per iteration, and user-level cycles next to kernel cycles' })
    .option('stats', { type: 'boolean', default: false, describe: 'print the kernel\'s operation counts after each run' })
    .option('screenshot', { type: 'string', requiresArg: true, describe: 'write the emulated framebuffer as PNG to this file at the end of each run' })
    .option('audio-out', { type: 'string', requiresArg: true, describe: 'give the machine an AC\'97 sound card (if the scenario has none) and write what it plays as a WAV file (16-bit stereo, 44.1 kHz as audio_drv sets it; see doc/audio.md)' })
    .option('list', { type: 'boolean', default: false, describe: 'list the scenarios and exit' })
    .option('headless', { type: 'boolean', default: false, describe: 'interactive scenarios: no live display; end once booted' })
    .option('port', { type: 'number', default: 0, describe: 'port of the live display on 127.0.0.1 (0: a free one)' })
    .option('disk', { type: 'string', requiresArg: true, describe: 'a host file as a SATA disk (512-byte blocks) on the AHCI, ports in the order given; read at the start of each run, changed blocks written back on the guest\'s flush and when the run ends; repeatable; replaces the scenario\'s disks' })
    .option('cdrom', { type: 'string', requiresArg: true, describe: 'a host file (an ISO image) as the medium of the ATAPI CD drive, on the port after the disks; read-only' })
    .option('nic', { type: 'string', choices: ['none', 'loopback', 'tap'], describe: 'the wire of the machine\'s e1000 network cards (default: the scenario\'s, else none): none = unplugged, loopback = two cards of the machine joined by a cable, tap = card 0 to a host TAP device through socat, one frame per UDP datagram on 127.0.0.1 (see doc/networking.md)' })
    .option('tap-ports', { type: 'string', requiresArg: true, describe: 'with --nic tap: <local>:<remote>, the UDP ports on 127.0.0.1 tool/run listens on and socat listens on (default 5555:5556)' })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable results: stdout gets one JSON document at the end (each run\'s scenario, kernel, status, reason, times, LOG lines, and benchmark results); the log goes to stderr' })
    .option('param', { type: 'string', requiresArg: true, describe: 'name=value for scenarios that can be scaled (e.g. session_churn: cycles=100000); repeatable' })
    .command('$0 [scenarios..]', false)
    .example('$0 --kernel all log', 'base/run/log on every kernel')
    .example('$0 os/run/timer.ts', 'a scenario by its file (or as --list names it: os/run/timer)')
    .example('$0 --screenshot fb.png framebuffer', 'write the screen at the end as PNG')
    .example('$0 --audio-out out.wav audio', 'the sound card\'s output as a WAV file')
    .example('$0 --json --kernel all timer > r.json', 'results as JSON, the log on stderr')
    .example('$0 --disk disk.img --cdrom cd.iso ahci', 'a host file as SATA disk 0 (kept after the run), an ISO image as the CD')
    .positional('scenarios', { type: 'string', array: true })
    .strict()
    .fail((msg, err) => usageError(msg || err?.message || 'bad arguments'))
    .help()
    .parse();

  if (argv.list) {
    for (const s of listScenarios()) {
      const sc = await loadScenario(s.name);
      process.stdout.write(`${s.repo}/run/${s.name.padEnd(18)} ${sc?.description ?? ''}\n`);
    }
    return 0;
  }
  const names = (argv.scenarios ?? []) as string[];
  if (names.length === 0) {
    /* `--screenshot framebuffer`: the scenario was taken for the file name */
    if (argv.screenshot && findScenario(argv.screenshot)) usageError(`--screenshot takes a file name, and "${argv.screenshot}" was taken for it: name the scenario after it (tool/run --screenshot FILE ${argv.screenshot})`);
    usageError('name at least one scenario (tool/run --list shows them)');
  }
  if (argv.screenshot !== undefined) {
    if (argv.screenshot === '') usageError('--screenshot needs a file name');
    const dir = dirname(resolve(argv.screenshot));
    if (!existsSync(dir)) usageError(`--screenshot ${argv.screenshot}: the directory ${dir} does not exist`);
  }
  const audioOut = argv['audio-out'];
  if (audioOut !== undefined) {
    if (audioOut === '') usageError('--audio-out needs a file name');
    if (findScenario(audioOut) && names.length === 0) usageError(`--audio-out takes a file name, and "${audioOut}" was taken for it`);
    const dir = dirname(resolve(audioOut));
    if (!existsSync(dir)) usageError(`--audio-out ${audioOut}: the directory ${dir} does not exist`);
  }
  if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) usageError(`--port ${argv.port} is not a port number (0-65535)`);
  const chosen = argv.kernel === 'all' ? backends : backends.filter((b) => b.name === argv.kernel);
  if (chosen.length === 0) usageError(`unknown kernel "${argv.kernel}" (known: ${[...kernelNames, 'all'].join(', ')})`);

  const diskPaths = [argv.disk ?? []].flat() as string[];
  const cdromPaths = [argv.cdrom ?? []].flat() as string[];
  if (cdromPaths.length > 1) usageError('--cdrom can be given once (the machine has one CD drive)');
  if (diskPaths.length + cdromPaths.length > AHCI_PORTS) usageError(`the AHCI has ${AHCI_PORTS} ports: at most ${AHCI_PORTS} drives (--disk and --cdrom together)`);
  const hostDrives = [
    ...diskPaths.map((p) => new HostDiskFile(p, 'disk')),
    ...cdromPaths.map((p) => new HostDiskFile(p, 'cdrom')),
  ];
  for (const d of hostDrives) {
    if (d.path === '') usageError(`--${d.kind} needs a file name`);
    const problem = HostDiskFile.problem(d.path, d.kind);
    if (problem) usageError(problem);
  }
  /* host files, where given, replace the scenario's images; each run reads them afresh */
  const storage = hostDrives.length === 0 ? undefined : () => ({
    disks: hostDrives.filter((d) => d.kind === 'disk').map((d) => d.open()),
    cdrom: hostDrives.find((d) => d.kind === 'cdrom')?.open(),
  });

  let tapPorts: { local: number; remote: number } | undefined;
  if (argv['tap-ports'] !== undefined) {
    const m = /^(\d{1,5}):(\d{1,5})$/.exec(argv['tap-ports']);
    if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535 || Number(m[1]) === 0 || Number(m[2]) === 0) usageError(`--tap-ports ${argv['tap-ports']} is not <local>:<remote> (two UDP ports 1..65535)`);
    tapPorts = { local: Number(m[1]), remote: Number(m[2]) };
  }
  const params: Record<string, string> = {};
  for (const p of [argv.param ?? []].flat() as string[]) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(p);
    if (!m) usageError(`--param ${p} is not name=value`);
    params[m[1]!] = m[2]!;
  }
  const scenarios: Array<[string, Scenario]> = [];
  for (const name of names) {
    let sc: Scenario | undefined;
    try { sc = await loadScenario(name, params); } catch (e) { usageError((e as Error).message); }
    if (!sc) usageError(`unknown scenario "${name}" (known: ${listScenarios().map((s) => s.name).join(', ')}; a file such as os/run/timer.ts works too)`);
    /* the bare name in reports and file names, however it was given */
    scenarios.push([findScenario(name)?.name ?? name, sc]);
  }
  let timeoutMs: number | undefined;
  if (argv.timeout) {
    const { parseDuration } = await import('../../base/src/scenario.js');
    try { timeoutMs = parseDuration(argv.timeout); } catch (e) { usageError((e as Error).message); }
  }

  /* with --json, stdout carries only the JSON document: everything else goes to stderr */
  const out = argv.json ? process.stderr : process.stdout;
  const targets = await loadTargets();
  const results: Array<{ scenario: string; kernel: string; r: RunResult }> = [];
  const benchResults: BenchResult[] = [];
  for (const [name, sc] of scenarios) {
    for (const backend of chosen) {
      const modules = await bootModulesFor(sc, targets, backend);
      /* on stdout, with the log it heads, so that redirected output stays readable */
      if (chosen.length > 1) out.write(`--- ${name} on ${backend.name} ---\n`);
      let system: RunningSystem | undefined;
      let wav: WavFileWriter | undefined;
      const markers = new BenchMarkers(backend.name, () => system);
      const live = sc.interactive && !argv.headless && chosen.length * scenarios.length === 1
        ? new LiveDisplay(`${name} on ${backend.name}`, argv.port) : undefined;
      const r = await runScenario(sc, backend, modules, {
        timeoutMs,
        storage,
        nic: argv.nic as NicWire | undefined,
        tapPorts,
        audio: audioOut !== undefined,
        forever: live?.forever,
        onBoot: (s) => {
          system = s;
          if (audioOut !== undefined) {
            const file = screenshotPath(audioOut, name, backend.name, chosen.length * scenarios.length > 1);
            if (!(s.machine instanceof Pc) || !s.machine.audio) {
              process.stderr.write(`[run] no --audio-out: kernel ${backend.name} runs without an emulated sound card\n`);
            } else {
              try {
                const writer = new WavFileWriter(file);
                wav = writer;
                s.machine.audioOut.add(writer);
              } catch (e) {
                process.stderr.write(`[run] no --audio-out: ${file} cannot be written: ${(e as Error).message}\n`);
              }
            }
          }
          live?.attach(s);
        },
        onLine: (l) => {
          markers.line(l);
          out.write(`${l}\n`);
        },
      });
      benchResults.push(...markers.results);
      if (argv.screenshot) {
        const several = chosen.length * scenarios.length > 1;
        const file = screenshotPath(argv.screenshot, name, backend.name, several);
        try {
          process.stderr.write(`[run] ${saveScreenshot(r.system.machine, file)}\n`);
        } catch (e) {
          process.stderr.write(`[run] no screenshot: ${file} cannot be written: ${(e as Error).message}\n`);
        }
      }
      await live?.stop();
      await r.system.shutdown();
      if (wav) {
        try {
          process.stderr.write(`[run] audio: ${wav.close()}\n`);
        } catch (e) {
          process.stderr.write(`[run] Error: the audio output ${wav.path} could not be finished: ${(e as Error).message}\n`);
        }
      }
      for (const d of hostDrives) {
        try {
          const blocks = d.close();
          if (blocks > 0) process.stderr.write(`[run] ${blocks} changed block(s) written back to ${d.path}\n`);
        } catch (e) {
          process.stderr.write(`[run] Error: the changes to ${d.path} could not be written back: ${(e as Error).message}\n`);
        }
      }
      results.push({ scenario: name, kernel: backend.name, r });
      const verdict = r.status === 'success' ? 'succeeded' : `failed (${r.status})`;
      process.stderr.write(`[run] ${name} on ${backend.name} ${verdict}: ${r.reason}\n`);
      if (argv.stats && r.stats) process.stderr.write(`[run] kernel operations: ${JSON.stringify(r.stats)}\n`);
    }
  }
  if (chosen.length > 1 || scenarios.length > 1) {
    const width = Math.max(18, ...results.map((x) => x.scenario.length + 2));
    out.write(`\n${'scenario'.padEnd(width)}${'kernel'.padEnd(10)}${'result'.padEnd(10)}${'time'.padStart(14)}${'host time'.padStart(14)}\n`);
    for (const { scenario, kernel, r } of results) {
      const time = `${r.elapsedMs.toFixed(1)} ms`;
      out.write(`${scenario.padEnd(width)}${kernel.padEnd(10)}${r.status.padEnd(10)}${time.padStart(14)}${`${r.hostMs.toFixed(1)} ms`.padStart(14)}\n`);
    }
  }
  if (benchResults.length > 0) {
    out.write(`\n${benchTable(benchResults, argv.breakdown)}\n`);
    const report = argv.breakdown ? costReport(benchResults) : '';
    if (report) out.write(`\n${report}\n`);
    mkdirSync('bench-results', { recursive: true });
    const file = `bench-results/${names.length === 1 ? names[0] : 'run'}.json`;
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), results: benchResults }, null, 2)}\n`);
    process.stderr.write(`[run] wrote ${file}\n`);
  }
  if (argv.json) {
    const runs = results.map(({ scenario, kernel, r }) => ({
      scenario, kernel, status: r.status, reason: r.reason,
      /* virtual time on the emulated kernels, host time on linux */
      elapsedMs: r.elapsedMs, hostMs: r.hostMs,
      log: r.output, ...(r.stats ? { stats: r.stats } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ runs, bench: benchResults }, null, 2)}\n`);
  }
  return results.every((x) => x.r.status === 'success') ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`tool/run: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
