/*
 * Service forwarding (Genode's init <service> nodes): init announces a service of one of
 * its children to its own parent and hands each session request it gets as a server to
 * the child the best-matching policy names. The session's quota arrived in init's account
 * with the request; it moves on to the child as for any routed session and comes back the
 * same way when the session is closed. The label is the one the request arrived with (or
 * the policy target's label="..."), so the child's policies see init's parent's client.
 */
import type { Capability } from '../../../base/src/capability.js';
import { ServiceDenied } from '../../../base/src/errors.js';
import type { Env } from '../../../base/src/lib/env.js';
import { RootProxy } from '../../../base/src/lib/root_proxy.js';
import { parseArgs, resourcesOf, stringArg } from '../../../base/src/session/args.js';
import type { Root } from '../../../base/src/session/root/session.js';
import { clip } from '../../../base/src/util/clip.js';
import type { ForwardedService, ForwardTarget } from './config_model.js';
import type { Donor, RoutedSession, Service } from './service.js';

/** Which child a policy target names, as a service (waiting for it to announce the service if it declared it). */
export type ForwardResolver = (donor: Donor, target: ForwardTarget, service: string) => Promise<Service>;

/** Genode's session-policy selection: an exact label first, then the longest prefix/suffix match, then the default policy. */
export function selectPolicy(f: ForwardedService, label: string): ForwardTarget | undefined {
  const exact = f.policies.find((p) => p.label === label);
  if (exact) return exact.target;
  let best: ForwardTarget | undefined;
  let bestScore = -1;
  for (const p of f.policies) {
    if (p.label !== undefined) continue;
    if (p.labelPrefix !== undefined && !label.startsWith(p.labelPrefix)) continue;
    if (p.labelSuffix !== undefined && !label.endsWith(p.labelSuffix)) continue;
    const score = (p.labelPrefix?.length ?? 0) + (p.labelSuffix?.length ?? 0);
    if (score > bestScore) {
      best = p.target;
      bestScore = score;
    }
  }
  return best ?? f.defaultPolicy;
}

class ForwardRoot implements Root {
  /** The forwarded sessions by the capability init's parent knows them by. */
  private readonly sessions = new Map<Capability<unknown>, RoutedSession>();
  /** Set by the newest config; undefined once the config has no <service> node for it. */
  current: ForwardedService | undefined;
  /** init's parent as the payer: the quota is in init's own account already. */
  private readonly donor: Donor;

  constructor(private readonly env: Env, readonly name: string, private readonly resolve: ForwardResolver, private readonly log: (text: string) => void) {
    this.donor = { name: 'parent', pd: env.pd, alive: true, onGone: () => () => {} };
  }

  session = async (args: string): Promise<Capability<unknown>> => {
    const label = stringArg(parseArgs(args), 'label');
    const f = this.current;
    if (!f) throw new ServiceDenied(`service "${this.name}" is no longer forwarded`);
    const target = selectPolicy(f, label);
    if (!target) {
      this.log(`Warning: forwarded service "${clip(this.name)}": no policy for label "${clip(label)}"`);
      throw new ServiceDenied(`no policy of <service name="${clip(this.name)}"> matches "${clip(label)}"`);
    }
    const service = await this.resolve(this.donor, target, this.name);
    const routed = await service.create(this.donor, args, target.label ?? label);
    this.sessions.set(routed.cap, routed);
    return routed.cap;
  };

  upgrade = async (cap: Capability<unknown>, args: string): Promise<void> => {
    const s = this.sessions.get(cap);
    if (!s) return;
    const { ramQuota, capQuota } = resourcesOf(parseArgs(args), `upgrade of a forwarded ${this.name} session`);
    await s.upgrade(ramQuota, capQuota);
  };

  close = async (cap: Capability<unknown>): Promise<void> => {
    const s = this.sessions.get(cap);
    if (!s) return;
    this.sessions.delete(cap);
    await s.close();
  };
}

/** init's forwarded services: announced once, each following the newest config. */
export class ServiceForwarder {
  private readonly roots = new Map<string, ForwardRoot>();

  constructor(private readonly env: Env, private readonly resolve: ForwardResolver, private readonly log: (text: string) => void) {}

  async apply(forwards: ForwardedService[]): Promise<void> {
    for (const root of this.roots.values()) root.current = undefined;
    for (const f of forwards) {
      let root = this.roots.get(f.name);
      if (root) {
        root.current = f;
        continue;
      }
      root = new ForwardRoot(this.env, f.name, this.resolve, this.log);
      root.current = f;
      this.roots.set(f.name, root);
      await RootProxy.of(this.env).announce(f.name, root);
    }
  }
}
