/*
 * init's children and the routing between them (Genode's sandbox library).
 */
import { ServiceDenied } from '../../../base/src/errors.js';
import type { Env } from '../../../base/src/lib/env.js';
import { InitChild, type ChildPolicy } from './child.js';
import type { ForwardTarget, InitConfig, RouteTarget, StartConfig } from './config_model.js';
import { matchingRules } from './route.js';
import { Mutex } from '../../../base/src/util/mutex.js';
import { clip } from '../../../base/src/util/clip.js';
import { ChildService, ParentService, type Donor, type Service } from './service.js';
import { ServiceForwarder } from './forward.js';
import { formatStateReport, type ChildState, type ReportDetail } from './state_report.js';
import { StateReporter } from './state_reporter.js';
import { HeartbeatMonitor } from './heartbeat.js';

/** A request of `client` waiting for a child to announce a service it declared in <provides>. */
interface Waiting {
  server: InitChild;
  client: Donor;
  service: string;
  wake: () => void;
}

export class Sandbox implements ChildPolicy {
  readonly children = new Map<string, InitChild>();
  private config: InitConfig | undefined;
  private waiting: Waiting[] = [];

  /** Children that exited, kept for the state report until the next config. */
  private readonly exitedChildren = new Map<string, { binary: string; id: number; code: number }>();
  private nextId = 1;
  private readonly reporter: StateReporter;
  private readonly heartbeat: HeartbeatMonitor;
  private readonly forwarder: ServiceForwarder;

  /** `logged`: writes a line and returns once it is written (before init exits, say). */
  constructor(private readonly env: Env, readonly log: (text: string) => void, private readonly logged?: (text: string) => Promise<void>) {
    this.reporter = new StateReporter(env, log, (detail) => this.stateReport(detail));
    this.heartbeat = new HeartbeatMonitor(env, log, () => this.children.values(), () => this.stateChanged());
    this.forwarder = new ServiceForwarder(env, (donor, target, service) => this.forwardTarget(donor, target, service), log);
  }

  /** The child a <service> policy names, once it provides the service. */
  private async forwardTarget(donor: Donor, target: ForwardTarget, service: string): Promise<Service> {
    const server = this.children.get(target.child);
    if (!server || !this.provides(server, service)) {
      this.log(`Warning: forwarded service "${clip(service)}": child "${clip(target.child)}" (${target.position}) does not provide it`);
      throw new ServiceDenied(`child "${clip(target.child)}" does not provide "${clip(service)}"`);
    }
    return this.serviceOf(donor, server, service);
  }

  stateChanged(): void {
    this.reporter.trigger();
  }

  /** init's state report as its <report> node asks (state_report.ts). */
  private async stateReport(detail: ReportDetail): Promise<string> {
    const states: ChildState[] = [];
    for (const c of this.children.values()) {
      const quota = (detail.childRam || detail.childCaps) && c.state === 'running' ? await c.pd.quota().catch(() => undefined) : undefined;
      states.push({
        name: c.name,
        binary: c.start.binary,
        id: c.id,
        incomplete: c.state === 'new',
        skippedHeartbeats: c.start.heartbeat ? c.skippedHeartbeats : 0,
        ram: { assigned: c.start.ram + c.granted.ram, requested: c.requestedResources.ram },
        caps: { assigned: c.start.caps + c.granted.caps, requested: c.requestedResources.caps },
        quota,
        requested: detail.requested ? c.requestedSessions() : [],
        provided: detail.provided ? [...c.provided] : [],
      });
    }
    for (const [name, e] of this.exitedChildren) {
      if (this.children.has(name)) continue;
      states.push({ name, binary: e.binary, id: e.id, exited: e.code, incomplete: false, skippedHeartbeats: 0, requested: [], provided: [] });
    }
    states.sort((a, b) => a.id - b.id);
    const init = await this.env.pd.quota();
    return formatStateReport(this.config?.version ?? '', detail, init, states);
  }

  private readonly applying = new Mutex();
  verbose = false;

  /**
   * Brings the children in line with a configuration (Genode's apply_config): children
   * no longer named are destroyed and their quota returns, new ones start, changed ones
   * restart; a change of only the <config> node reaches the child as a ROM update.
   */
  async apply(config: InitConfig): Promise<void> {
    const wait = this.applying.acquire();
    if (wait) await wait;
    try {
      this.config = config;
      const wanted = new Map(config.starts.map((s) => [s.name, s]));
      for (const [name, child] of [...this.children]) {
        const next = wanted.get(name);
        if (next && next.fingerprint === child.start.fingerprint) continue;
        if (next && staticPart(next) === staticPart(child.start) && child.configRom) {
          if (this.verbose) this.log(`updating the config of "${name}"`);
          child.updateStart(next);
          await child.configRom.change(next.config ?? '');
          continue;
        }
        if (this.verbose) this.log(next ? `restarting "${name}"` : `removing "${name}"`);
        await this.destroyChild(child);
      }
      for (const start of config.starts) {
        if (this.children.has(start.name)) continue;
        if (this.verbose) this.log(`starting "${start.name}"`);
        await this.startChild(start);
      }
      this.exitedChildren.clear();
      if (this.verbose) await this.reportQuota(config.version);
      await this.reporter.apply(config.report);
      await this.heartbeat.apply(config.heartbeatRateMs);
      await this.forwarder.apply(config.forwards);
    } finally {
      this.applying.release();
    }
  }

  /** Closes of removed children's sessions still under way (their donations come back at the end). */
  private readonly closes = new Set<Promise<void>>();

  closing(child: InitChild, done: Promise<void>): void {
    const settled = done
      .catch((e) => this.log(`Warning: closing a session of "${child.name}": ${(e as Error).message}`))
      .finally(() => this.closes.delete(settled));
    this.closes.add(settled);
  }

  /**
   * What init has left for children after applying config `version`, told once the
   * sessions of removed children are closed (so their donations are back). Applying
   * does not wait for that: a server that never answers must not stall init.
   */
  async reportQuota(version: string): Promise<void> {
    if (this.closes.size) {
      void Promise.all([...this.closes]).then(() => this.reportQuota(version)).catch(() => {});
      return;
    }
    const q = await this.env.pd.quota();
    const space = this.env.runtime.capSpaceInUse?.();
    this.log(`config version "${clip(version)}": ${this.children.size} children, ram ${q.ramQuota - q.ramUsed} of ${q.ramQuota} free, caps ${q.capQuota - q.capUsed} of ${q.capQuota} free${space === undefined ? '' : `, capability space ${space}`}`);
  }

  private async destroyChild(child: InitChild): Promise<void> {
    this.children.delete(child.name);
    await child.destroy();
    this.wakeWaitersOf(child);
    this.stateChanged();
  }

  /** Wakes the requests waiting for `child` as their server or client (it went away). */
  private wakeWaitersOf(child: InitChild): void {
    const gone = this.waiting.filter((w) => w.server === child || w.client === child);
    this.waiting = this.waiting.filter((w) => !gone.includes(w));
    for (const w of gone) w.wake();
  }

  private async startChild(start: StartConfig): Promise<void> {
    /* refused before anything is spent: the child's quota and what its PD, CPU and binary's ROM session cost init */
    const q = await this.env.pd.quota();
    const cost = InitChild.ENV_SESSIONS_COST;
    const avail = q.ramQuota - q.ramUsed;
    if (start.ram + cost.ram > avail) {
      this.log(`Error: start "${start.name}" (${start.position}): init's RAM quota is used up: the RAM quantum ${start.ram} and ${cost.ram} for the child's PD, CPU and ROM sessions exceed what init has left (${avail})`);
      return;
    }
    const capsAvail = q.capQuota - q.capUsed;
    if (start.caps + cost.caps > capsAvail) {
      this.log(`Error: start "${start.name}" (${start.position}): init's cap quota is used up: ${start.caps} caps and ${cost.caps} for the child's PD, CPU and ROM sessions exceed what init has left (${capsAvail})`);
      return;
    }
    /* as Genode's init: the child is started all the same, and fails with the quota it lacks */
    if (start.ram === 0) this.log(`Warning: start "${start.name}" (${start.position}): no valid RAM quota defined`);
    if (start.caps === 0) this.log(`Warning: start "${start.name}" (${start.position}): no valid cap quota defined`);
    const child = new InitChild(start, this.env, this);
    child.id = this.nextId++;
    this.children.set(start.name, child);
    try {
      await child.startChild();
      this.stateChanged();
    } catch (e) {
      this.log(`Error: start "${start.name}" failed: ${(e as Error).message}`);
      this.children.delete(start.name);
      await child.destroy().catch(() => {});
    }
  }

  /* ---------------------------------------------------------------- ChildPolicy */

  private provides(child: InitChild, service: string): boolean {
    return child.announcedServices.has(service) || child.start.provides.includes(service);
  }

  private async serviceOf(client: Donor, server: InitChild, service: string): Promise<Service> {
    while (!server.announcedServices.has(service)) {
      if (server.state !== 'running' && server.state !== 'new') throw new ServiceDenied(`"${server.name}" is gone`);
      if (!client.alive) throw new ServiceDenied(`"${client.name}" is gone`);
      await new Promise<void>((wake) => this.waiting.push({ server, client, service, wake }));
    }
    if (!server.alive) throw new ServiceDenied(`"${server.name}" is gone`);
    return new ChildService(service, server.name, this.env, server, this.log);
  }

  private async target(child: InitChild, t: RouteTarget, service: string): Promise<Service | undefined> {
    const config = this.config!;
    switch (t.kind) {
      case 'parent':
        return config.parentProvides.has(service) ? new ParentService(service, this.env) : undefined;
      case 'child': {
        const server = this.children.get(t.name);
        return server && this.provides(server, service) ? this.serviceOf(child, server, service) : undefined;
      }
      case 'any-child': {
        const servers = [...this.children.values()].filter((c) => c !== child && this.provides(c, service));
        if (servers.length > 1) {
          this.log(`Error: ${child.name}: ambiguous routes to service "${clip(service)}"`);
          throw new ServiceDenied(`ambiguous routes to service "${clip(service)}"`);
        }
        return servers.length ? this.serviceOf(child, servers[0]!, service) : undefined;
      }
    }
  }

  async route(child: InitChild, service: string, label: string): Promise<Service> {
    const rules = child.start.route ?? this.config!.defaultRoute;
    /* what the child asked for, as it may appear in a message */
    const what = `service "${clip(service)}" (label="${clip(label)}")`;
    for (const { rule, final } of matchingRules(rules, child.name, service, label)) {
      for (const t of rule.targets) {
        const s = await this.target(child, t, service);
        if (s) return t.label !== undefined ? relabel(s, t.label) : s;
      }
      if (final) {
        this.log(`Warning: ${child.name}: no route to ${what}: no target of the rule at ${rule.position} provides it`);
        throw new ServiceDenied(`no route to ${what}`);
      }
    }
    this.log(`Warning: ${child.name}: no route to ${what}`);
    throw new ServiceDenied(`no route to ${what}`);
  }

  /**
   * Grows a child on its request, up to the maximum its start node allows and as far as
   * init's own quota reaches; the child is signalled either way, so it never waits forever.
   */
  async resourceRequest(child: InitChild, ram: number, caps: number): Promise<void> {
    const start = child.start;
    const q = await this.env.pd.quota();
    const ramGrant = Math.max(0, Math.min(ram, start.ramMaximum - start.ram - child.granted.ram, q.ramQuota - q.ramUsed));
    const capGrant = Math.max(0, Math.min(caps, start.capsMaximum - start.caps - child.granted.caps, q.capQuota - q.capUsed));
    if (ramGrant > 0) await this.env.pd.transferQuota(child.pd.cap, ramGrant);
    if (capGrant > 0) await this.env.pd.transferCapQuota(child.pd.cap, capGrant);
    child.granted.ram += ramGrant;
    child.granted.caps += capGrant;
    child.requestedResources = { ram: ram - ramGrant, caps: caps - capGrant };
    this.stateChanged();
    const denied = ramGrant < ram || capGrant < caps;
    this.log(`child "${child.name}" requests ram_quota=${ram}, cap_quota=${caps}: granted ram_quota=${ramGrant}, cap_quota=${capGrant}${denied ? ` (its maximum is ram ${start.ramMaximum}, caps ${start.capsMaximum})` : ''}`);
    child.notifyResourcesAvailable();
  }

  announced(child: InitChild, service: string): void {
    const wake = this.waiting.filter((w) => w.server === child && w.service === service);
    this.waiting = this.waiting.filter((w) => !wake.includes(w));
    for (const w of wake) w.wake();
  }

  requestsDropped(child: InitChild, count: number): void {
    if (this.verbose) this.log(`"${child.name}" went away with ${count} session request${count === 1 ? '' : 's'} unanswered`);
  }

  exited(child: InitChild, code: number): void {
    this.log(`child "${child.name}" exited with exit value ${code}`);
    if (child.start.exitPropagate) {
      /* <exit propagate="yes"/>: init ends with the child's exit value; its parent tears down the rest */
      const text = `exit of "${child.name}" propagated: init exits with exit value ${code}`;
      void (async () => {
        if (this.logged) await this.logged(text).catch(() => {});
        else this.log(text);
        /* the parent may tear init down before the exit call returns */
        await this.env.exit(code).catch(() => {});
      })();
      return;
    }
    /* tear the child down after its exit call returned */
    this.exitedChildren.set(child.name, { binary: child.start.binary, id: child.id, code });
    queueMicrotask(() => {
      /* a close that fails (init itself being torn down meanwhile, say) must not end init */
      void child.destroy().catch((e) => this.log(`Warning: tearing down "${child.name}": ${(e as Error).message}`)).then(() => {
        if (this.children.get(child.name) === child) this.children.delete(child.name);
        this.wakeWaitersOf(child);
        this.stateChanged();
      });
    });
  }
}

/** A target with label="..." replaces the session label. */
function relabel(s: Service, label: string): Service {
  return { name: s.name, provider: s.provider, create: (donor, args) => s.create(donor, args, label) };
}

/** A start node without its <config>: what decides whether a change needs a restart. */
function staticPart(start: StartConfig): string {
  return start.config === undefined ? start.fingerprint : start.fingerprint.replace(start.config, '');
}
