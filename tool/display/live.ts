/*
 * An interactive run of tool/run: the scenario keeps running (Genode's run_genode_until
 * forever) while the live display serves its emulated machine; Ctrl-C (SIGINT) or SIGTERM
 * ends it.
 */
import { Pc } from '../pc/index.js';
import type { RunningSystem } from '../runner/backend.js';
import type { RunOptions, RunStatus } from '../runner/run_scenario.js';
import { DisplayServer } from './server.js';

type End = { status: RunStatus; reason: string };

export class LiveDisplay {
  readonly forever: NonNullable<RunOptions['forever']>;
  private end!: (e: End) => void;
  private server: DisplayServer | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => this.end({ status: 'success', reason: `ended by ${signal}` });

  constructor(private readonly title: string, private readonly port: number) {
    const until = new Promise<End>((resolve) => (this.end = resolve));
    this.forever = { until, onReady: () => this.up('booted') };
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** The system booted: serve its machine. */
  attach(system: RunningSystem): void {
    if (!(system.machine instanceof Pc)) {
      this.end({ status: 'failure', reason: 'the live display needs the emulated machine, and this kernel has none' });
      return;
    }
    /* a person watches: virtual time follows host time, and an idle system idles the host */
    system.machine.clock.pace();
    /* the sound card's output, if the machine has one, goes to the page's Web Audio */
    const server = new DisplayServer(system.machine, this.title, system.machine.audio ? system.machine.audioOut : undefined);
    this.server = server;
    server.start(this.port).then(
      (url) => {
        say(`[run] live display of ${this.title}: ${url} (Ctrl-C ends the run)`);
        this.up('listening');
      },
      (e: Error) => this.end({ status: 'failure', reason: `the live display cannot listen on 127.0.0.1:${this.port}: ${e.message}` }),
    );
  }

  private readonly reached = new Set<'booted' | 'listening'>();

  /** "is up" once the scenario booted and the display listens (a busy port is never up). */
  private up(what: 'booted' | 'listening'): void {
    this.reached.add(what);
    if (this.reached.size === 2) say(`[run] ${this.title} is up; it runs until Ctrl-C`);
  }

  async stop(): Promise<void> {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    await this.server?.stop();
  }
}

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}
