/*
 * init's configuration, checked while it is read: unknown nodes, missing attributes and
 * duplicate start names are refused with the line and column where they are.
 */
import { AMOUNT_MAX, isAmount } from '../../../base/src/lib/quota_amount.js';
import { XmlNode, XmlError } from '../../../base/src/util/xml_node.js';
import { CpuSession } from '../../../base/src/session/cpu/session.js';

export interface LabelMatch {
  label?: string;
  labelPrefix?: string;
  labelSuffix?: string;
  unscopedLabel?: string;
}

export type RouteTarget =
  | { kind: 'parent'; label?: string }
  | { kind: 'child'; name: string; label?: string }
  | { kind: 'any-child'; label?: string };

export interface RouteRule extends LabelMatch {
  /** undefined for <any-service> */
  service?: string;
  targets: RouteTarget[];
  position: string;
}

export interface StartConfig {
  name: string;
  binary: string;
  ram: number;
  caps: number;
  /** How far init grows the child on its resource requests (<resource ... maximum=...>). */
  ramMaximum: number;
  capsMaximum: number;
  provides: string[];
  /** undefined: the child uses <default-route> */
  route?: RouteRule[];
  /**
   * Genode's CPU session priority for the child: <start priority="-n"> of
   * <config prio_levels="L"> becomes n * PRIORITY_LIMIT / L (0 is the highest).
   */
  cpuPriority: number;
  /** Inline <config>, handed to the child as its "config" ROM. */
  config?: string;
  position: string;
  /** The start node as text, to tell changed children on reload. */
  fingerprint: string;
}

export interface InitConfig {
  /** verbose="yes": init logs what it starts, restarts and removes, and its quota. */
  verbose: boolean;
  /** The config's version attribute (Genode copies it into state reports). */
  version: string;
  parentProvides: Set<string>;
  defaultRoute: RouteRule[];
  starts: StartConfig[];
}

const DEFAULT_CAPS = 100;
const TOP_NODES = new Set(['parent-provides', 'default-route', 'start', 'default', 'report', 'resource', 'heartbeat', 'affinity-space', 'alias']);

function labelAttrs(n: XmlNode): LabelMatch {
  const m: LabelMatch = {};
  if (n.hasAttr('label')) m.label = n.attr('label');
  if (n.hasAttr('label_prefix')) m.labelPrefix = n.attr('label_prefix');
  if (n.hasAttr('label_suffix')) m.labelSuffix = n.attr('label_suffix');
  if (n.hasAttr('unscoped_label')) m.unscopedLabel = n.attr('unscoped_label');
  return m;
}

function parseTargets(rule: XmlNode): RouteTarget[] {
  return rule.children().map((t): RouteTarget => {
    const label = t.hasAttr('label') ? t.attr('label') : undefined;
    switch (t.type) {
      case 'parent': return { kind: 'parent', label };
      case 'child': return { kind: 'child', name: t.attr('name'), label };
      case 'any-child': return { kind: 'any-child', label };
      default: throw t.error('unknown route target (expected <parent/>, <child name=.../> or <any-child/>)');
    }
  });
}

export function parseRoute(node: XmlNode): RouteRule[] {
  return node.children().map((rule) => {
    if (rule.type === 'service') {
      return { service: rule.attr('name'), ...labelAttrs(rule), targets: parseTargets(rule), position: rule.position };
    }
    if (rule.type === 'any-service') return { ...labelAttrs(rule), targets: parseTargets(rule), position: rule.position };
    throw rule.error('unknown routing rule (expected <service name=...> or <any-service>)');
  });
}

/** A quota attribute: a number that is also an exact amount (quota_amount.ts), or an error at its position. */
function quotaAttr(n: XmlNode, name: string, fallback?: number): number {
  const v = n.numberAttr(name, fallback);
  if (!isAmount(v)) throw n.error(`attribute ${name} exceeds the largest quota, ${AMOUNT_MAX}`);
  return v;
}

/** <config prio_levels>: a power of two, 1 (no priorities) by default, as in Genode. */
function parsePrioLevels(root: XmlNode): number {
  const levels = root.numberAttr('prio_levels', 1);
  if (!Number.isInteger(levels) || levels < 1 || levels > CpuSession.PRIORITY_LIMIT || (levels & (levels - 1)) !== 0) {
    throw root.error(`prio_levels="${levels}" must be a power of two from 1 to ${CpuSession.PRIORITY_LIMIT}`);
  }
  return levels;
}

/** <start priority>: 0 (default, the highest) down to -(prio_levels - 1). */
function parseCpuPriority(n: XmlNode, prioLevels: number): number {
  const p = n.intAttr('priority', 0);
  if (!Number.isInteger(p) || p > 0 || p <= -prioLevels) {
    throw n.error(`priority="${p}" must be an integer from 0 down to -${prioLevels - 1} (prio_levels="${prioLevels}")`);
  }
  return (-p * CpuSession.PRIORITY_LIMIT) / prioLevels;
}

export function parseStart(n: XmlNode, defaultCaps: number, prioLevels = 1): StartConfig {
  const name = n.attr('name');
  if (!name) throw n.error('empty start name');
  let ram = n.hasAttr('ram') ? quotaAttr(n, 'ram') : undefined;
  let caps = quotaAttr(n, 'caps', defaultCaps);
  let ramMaximum: number | undefined;
  let capsMaximum: number | undefined;
  for (const r of n.children('resource')) {
    if (r.attr('name') === 'RAM') {
      ram = quotaAttr(r, 'quantum');
      ramMaximum = quotaAttr(r, 'maximum', ram);
    } else if (r.attr('name') === 'CAP') {
      caps = quotaAttr(r, 'quantum');
      capsMaximum = quotaAttr(r, 'maximum', caps);
    } else {
      throw r.error(`unknown resource "${r.attr('name')}" (expected RAM or CAP)`);
    }
  }
  if (ram === undefined) throw n.error(`start "${name}" has no RAM quantum (ram="..." or <resource name="RAM" quantum="..."/>)`);
  const routeNode = n.child('route');
  for (const c of n.children()) {
    if (!['binary', 'resource', 'provides', 'route', 'config', 'affinity', 'heartbeat', 'exit'].includes(c.type)) {
      throw c.error(`unknown node in <start name="${name}">`);
    }
  }
  return {
    name,
    binary: n.child('binary')?.attr('name') ?? name,
    ram,
    caps,
    cpuPriority: parseCpuPriority(n, prioLevels),
    ramMaximum: Math.max(ramMaximum ?? ram, ram),
    capsMaximum: Math.max(capsMaximum ?? caps, caps),
    provides: (n.child('provides')?.children() ?? []).map((s) => {
      if (s.type !== 'service') throw s.error('expected <service name=.../> in <provides>');
      return s.attr('name');
    }),
    route: routeNode ? parseRoute(routeNode) : undefined,
    config: n.child('config')?.toString(),
    position: n.position,
    fingerprint: n.toString(),
  };
}

export function parseInitConfig(text: string, source = 'config of init'): InitConfig {
  const root = XmlNode.parse(text, source);
  if (root.type !== 'config') throw root.error('the root node must be <config>');
  const defaultNode = root.child('default');
  const defaultCaps = defaultNode ? quotaAttr(defaultNode, 'caps', DEFAULT_CAPS) : DEFAULT_CAPS;
  const prioLevels = parsePrioLevels(root);
  const parentProvides = new Set<string>();
  for (const n of root.children()) {
    if (!TOP_NODES.has(n.type)) throw n.error('unknown node in <config>');
  }
  for (const p of root.children('parent-provides')) {
    for (const s of p.children()) {
      if (s.type !== 'service') throw s.error('expected <service name=.../> in <parent-provides>');
      parentProvides.add(s.attr('name'));
    }
  }
  const dr = root.child('default-route');
  const starts: StartConfig[] = [];
  const seen = new Map<string, string>();
  for (const s of root.children('start')) {
    const start = parseStart(s, defaultCaps, prioLevels);
    const earlier = seen.get(start.name);
    if (earlier) throw s.error(`duplicate start name "${start.name}" (first at ${earlier})`);
    seen.set(start.name, start.position);
    starts.push(start);
  }
  return { verbose: root.boolAttr('verbose'), version: root.attr('version', ''), parentProvides, defaultRoute: dr ? parseRoute(dr) : [], starts };
}

export { XmlError };
