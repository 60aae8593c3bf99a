/*
 * launchpad as a runtime environment: the parent of the programs the user starts. It
 * uses init's sandbox for its children (their PDs, quota transfer, session routing), so a
 * launched program lives exactly as one of init's would; starting and killing are config
 * changes: the set of running instances is applied as the sandbox's start list.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import type { InitChild } from '../../../../os/src/init/child.js';
import type { StartConfig } from '../../../../os/src/init/config_model.js';
import { Sandbox } from '../../../../os/src/init/sandbox.js';
import type { LaunchpadConfig } from './config.js';

/** init's sandbox, telling launchpad when a child exits by itself. */
class LaunchpadSandbox extends Sandbox {
  onExit: (name: string, gone: Promise<void>) => void = () => {};

  override exited(child: InitChild, code: number): void {
    /* after the exit call returned, as the sandbox does; queued first, so this destroy does the work */
    const gone = new Promise<void>((resolve, reject) => queueMicrotask(() => child.destroy().then(resolve, reject)));
    super.exited(child, code);
    this.onExit(child.name, gone);
  }
}

export interface Quota { avail: number; total: number }

/** How far each further instance of a program opens from the one before (so it does not cover it). */
export const CASCADE = 24;

/** The start node's <config> with its window position (xpos, ypos) moved by `by` pixels. */
export function cascaded(config: string | undefined, by: number): string | undefined {
  if (config === undefined || by === 0) return config;
  /* only the <config> tag itself, not nodes inside it */
  return config.replace(/^<config\b[^>]*>/, (tag) => tag.replace(/\b(xpos|ypos)="(\d+)"/g, (_m, k: string, v: string) => `${k}="${Number(v) + by}"`));
}

export class Launchpad {
  readonly running: StartConfig[] = [];
  /** What the last action could not do (shown in the window), if anything. */
  message: string | undefined;
  private readonly sandbox: LaunchpadSandbox;
  onChange: () => void | Promise<void> = () => {};

  constructor(private readonly env: Env, private readonly config: LaunchpadConfig, private readonly log: (text: string) => void) {
    this.sandbox = new LaunchpadSandbox(env, log);
    this.sandbox.onExit = (name, gone) => {
      /* out of the start list right away, so no apply restarts it */
      const i = this.running.findIndex((s) => s.name === name);
      if (i >= 0) this.running.splice(i, 1);
      void gone.then(() => this.onChange());
    };
  }

  get launchers(): StartConfig[] {
    return this.config.launchers;
  }

  /** The quota launchpad had when it started; children and sessions take from it. */
  private initial = 0;

  async quota(): Promise<Quota> {
    const q = await this.env.pd.quota();
    this.initial ||= q.ramQuota;
    return { avail: q.ramQuota - q.ramUsed, total: this.initial };
  }

  /** "scout", then "scout.2", ...: each instance is a child of its own name; also its number. */
  private instanceName(launcher: StartConfig): { name: string; instance: number } {
    const taken = (n: string) => this.running.some((s) => s.name === n);
    if (!taken(launcher.name)) return { name: launcher.name, instance: 1 };
    let i = 2;
    while (taken(`${launcher.name}.${i}`)) i++;
    return { name: `${launcher.name}.${i}`, instance: i };
  }

  private apply(): Promise<void> {
    const c = this.config;
    return this.sandbox.apply({ verbose: false, version: '', parentProvides: c.parentProvides, defaultRoute: c.defaultRoute, starts: [...this.running], aliases: new Map(), heartbeatRateMs: 0, forwards: [] });
  }

  async start(launcher: StartConfig): Promise<void> {
    const q = await this.quota();
    if (launcher.ram > q.avail) {
      this.log(`not enough quota for ${launcher.name}: needs ${mb(launcher.ram)}, ${mb(q.avail)} left`);
      this.message = `no quota: ${launcher.name} needs ${mb(launcher.ram)}`;
      await this.onChange();
      return;
    }
    const { name, instance } = this.instanceName(launcher);
    this.log(`starting ${name} with ${mb(launcher.ram)}`);
    const config = cascaded(launcher.config, CASCADE * (instance - 1));
    this.running.push({ ...launcher, name, config, fingerprint: `${launcher.fingerprint} as ${name}` });
    await this.apply();
    /* a start that failed left no child behind */
    const started = this.sandbox.children.has(name);
    for (let i = this.running.length - 1; i >= 0; i--) if (!this.sandbox.children.has(this.running[i]!.name)) this.running.splice(i, 1);
    this.message = started ? undefined : `${name} could not be started (see the log)`;
    await this.onChange();
  }

  async kill(name: string): Promise<void> {
    const i = this.running.findIndex((s) => s.name === name);
    if (i < 0) return;
    this.running.splice(i, 1);
    this.message = undefined;
    this.log(`killing ${name}`);
    await this.apply();
    await this.onChange();
  }
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
