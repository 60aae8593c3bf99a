/*
 * Routes that can never be served, found before anything starts (part of reading the
 * config): a child routing a service to itself, and children routing one service to each
 * other in a cycle (A's requests for S go to B and B's to A). Either would wait for a
 * service to be announced that never is, forever and without a word.
 *
 * A route leads from a child to a server for a service when it would take a target that
 * provides the service (<parent/> if init's parent does, <child/> if that child declares
 * it in <provides>, <any-child/> to every other child that declares it); a rule with a
 * label condition may not apply, so the rules after it are followed too.
 */
import { clip } from '../../../base/src/util/clip.js';
import { XmlError } from '../../../base/src/util/xml_node.js';
import type { InitConfig, RouteRule, StartConfig } from './config_model.js';

interface Edge {
  to: string;
  /** The route target that leads there, for the message. */
  position: string;
}

function conditional(rule: RouteRule): boolean {
  return rule.label !== undefined || rule.labelPrefix !== undefined || rule.labelSuffix !== undefined || rule.unscopedLabel !== undefined;
}

/** Where the requests of `start` for `service` may go among init's children. */
function edges(config: InitConfig, providers: Map<string, string[]>, start: StartConfig, service: string): Edge[] {
  const out: Edge[] = [];
  for (const rule of start.route ?? config.defaultRoute) {
    if (rule.service !== undefined && rule.service !== service) continue;
    let resolved = false;
    for (const t of rule.targets) {
      if (t.kind === 'parent') resolved = config.parentProvides.has(service);
      else if (t.kind === 'child') {
        resolved = (providers.get(service) ?? []).includes(t.name);
        if (resolved) out.push({ to: t.name, position: t.position });
      } else {
        const others = (providers.get(service) ?? []).filter((p) => p !== start.name);
        resolved = others.length > 0;
        for (const p of others) out.push({ to: p, position: t.position });
      }
      if (resolved) break;
    }
    /* a <service> rule that applies ends the search, resolved or not; an <any-service> only if resolved */
    if (!conditional(rule) && (resolved || rule.service !== undefined)) break;
  }
  return out;
}

function selfRoute(start: string, service: string, position: string): XmlError {
  return new XmlError(`${position}: <child>: start "${clip(start)}" routes ${service} to itself: it would wait for its own announcement`);
}

/** A child's own route naming the child is always a mistake; the default route only where it leads back (below). */
function selfRoutes(config: InitConfig): void {
  for (const start of config.starts) {
    for (const rule of start.route ?? []) {
      for (const t of rule.targets) {
        if (t.kind === 'child' && t.name === start.name) {
          throw selfRoute(start.name, rule.service ? `service "${clip(rule.service)}"` : 'any service', t.position);
        }
      }
    }
  }
}

export function checkRoutes(config: InitConfig): void {
  selfRoutes(config);
  const providers = new Map<string, string[]>();
  for (const s of config.starts) {
    for (const p of s.provides) providers.set(p, [...(providers.get(p) ?? []), s.name]);
  }
  for (const service of providers.keys()) {
    const graph = new Map(config.starts.map((s) => [s.name, edges(config, providers, s, service)]));
    /* depth-first, in config order, so the same config always names the same cycle */
    const state = new Map<string, 'open' | 'done'>();
    const path: Array<{ name: string; via?: Edge }> = [];
    const visit = (name: string, via?: Edge): void => {
      state.set(name, 'open');
      path.push({ name, via });
      for (const e of graph.get(name) ?? []) {
        if (e.to === name) throw selfRoute(name, `service "${clip(service)}" (by the default route)`, e.position);
        if (state.get(e.to) === 'open') {
          const from = path.findIndex((p) => p.name === e.to);
          const steps = [...path.slice(from + 1).map((p) => p.via!), e];
          const names = [...path.slice(from).map((p) => `"${clip(p.name)}"`), `"${clip(e.to)}"`].join(' -> ');
          const where = steps.map((s) => s.position.replace(/^.*?, (line \d+, column \d+)$/, '$1')).join('; ');
          throw new XmlError(`${steps[0]!.position}: routing cycle for service "${clip(service)}": ${names} (routes at ${where}): each would wait for the other to announce it`);
        }
        if (!state.has(e.to)) visit(e.to, e);
      }
      path.pop();
      state.set(name, 'done');
    };
    for (const s of config.starts) if (!state.has(s.name)) visit(s.name);
  }
}
