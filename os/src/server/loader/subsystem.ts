/*
 * The subsystem of one Loader session (Genode's loader Child): a child of the loader,
 * made with init's child machinery (InitChild), whose sessions go to the session's ROM
 * modules (ROM), the virtual Nitpicker service (Nitpicker) or the loader's parent
 * (everything else, as Genode's loader does). Its exit (a fault ends a component with
 * -1) is signalled to the client's fault handler; it never gets more quota than `start`
 * gave it.
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { Capability } from '../../../../base/src/capability.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import { InitChild, type ChildPolicy } from '../../init/child.js';
import type { StartConfig } from '../../init/config_model.js';
import { ParentService, type Service } from '../../init/service.js';

export class Subsystem implements ChildPolicy {
  readonly child: InitChild;
  faultSigh: Capability<SignalContext> | undefined;
  /** The exit value once the subsystem ended. */
  exitValue: number | undefined;
  private readonly closes = new Set<Promise<void>>();
  private requestLogged = false;

  constructor(
    private readonly env: Env,
    name: string,
    binary: string,
    ram: number,
    caps: number,
    private readonly services: Map<string, Service>,
    readonly log: (text: string) => void,
  ) {
    const start: StartConfig = {
      name, binary, ram, caps, ramMaximum: ram, capsMaximum: caps, provides: [],
      cpuPriority: 0, prioLevels: 1, heartbeat: false, exitPropagate: false,
      position: `loader session "${name}"`, fingerprint: '',
    };
    this.child = new InitChild(start, env, this);
  }

  start(): Promise<void> {
    return this.child.startChild();
  }

  async route(child: InitChild, service: string, _label: string): Promise<Service> {
    if (!child.alive) throw new ServiceDenied(`"${clip(child.name)}" is gone`);
    return this.services.get(service) ?? new ParentService(service, this.env);
  }

  async resourceRequest(child: InitChild, ram: number, caps: number): Promise<void> {
    /* the subsystem has what the client gave it: a request is answered without a grant (told once, so it cannot flood the log) */
    if (!this.requestLogged) this.log(`subsystem "${child.name}" requests ram_quota=${ram}, cap_quota=${caps}: denied (the loader grants nothing beyond what start gave it)`);
    this.requestLogged = true;
    child.notifyResourcesAvailable();
  }

  announced(): void {}

  exited(child: InitChild, code: number): void {
    this.exitValue = code;
    this.log(`subsystem "${child.name}" exited with exit value ${code}`);
    if (this.faultSigh) void this.env.submit(this.faultSigh).catch(() => {});
  }

  closing(child: InitChild, done: Promise<void>): void {
    const settled = done
      .catch((e) => this.log(`Warning: closing a session of "${child.name}": ${(e as Error).message}`))
      .finally(() => this.closes.delete(settled));
    this.closes.add(settled);
  }

  requestsDropped(): void {}

  /** Destroys the subsystem; resolves once its sessions are closed and their donations are back. */
  async destroy(): Promise<void> {
    await this.child.destroy();
    await Promise.all([...this.closes]);
  }
}
