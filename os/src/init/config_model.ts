/*
 * init's configuration, checked while it is read, in one place: unknown nodes, missing
 * attributes, duplicate start names, numbers that are no numbers or out of range, names
 * and labels that cannot be part of a session label, routes to the child itself and
 * routing cycles are refused with the line and column where they are. Quotas must be exact
 * amounts (quota_amount.ts); <config prio_levels> and <start priority> become the child's
 * CPU session priority. Values are shown clipped (util/clip.ts), so a huge or hostile
 * value cannot flood the log.
 */
import { AMOUNT_MAX } from '../../../base/src/lib/quota_amount.js';
import { LABEL_SEPARATOR } from '../../../base/src/session/args.js';
import { CpuSession } from '../../../base/src/session/cpu/session.js';
import { SERVICE_NAME_MAX } from '../../../base/src/session/parent/session.js';
import { SESSION_ARGS_MAX } from '../../../base/src/session/root/session.js';
import { clip } from '../../../base/src/util/clip.js';
import { XmlNode, XmlError } from '../../../base/src/util/xml_node.js';
import { checkRoutes } from './route_check.js';
import { parseReportDetail, type ReportDetail } from './state_report.js';

export interface LabelMatch {
  label?: string;
  labelPrefix?: string;
  labelSuffix?: string;
  unscopedLabel?: string;
}

export type RouteTarget = (
  | { kind: 'parent'; label?: string }
  | { kind: 'child'; name: string; label?: string }
  | { kind: 'any-child'; label?: string }
) & { position: string };

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
  /** init's <config prio_levels>: how the child's own CPU session requests are scaled (priority.ts). */
  prioLevels: number;
  /** <heartbeat/>: init monitors the child (with <config><heartbeat rate_ms/>). */
  heartbeat: boolean;
  /** <exit propagate="yes"/>: the child's exit ends init with the child's exit value. */
  exitPropagate: boolean;
  /** Inline <config>, handed to the child as its "config" ROM. */
  config?: string;
  position: string;
  /** The start node as text, to tell changed children on reload. */
  fingerprint: string;
}

/** Where a forwarded session goes: <child name="..." label="..."/> of a <policy> or <default-policy>. */
export interface ForwardTarget {
  child: string;
  /** Replaces the session label, as a route target's label does. */
  label?: string;
  position: string;
}

/**
 * <service name="X"> <default-policy><child name="c"/></default-policy> <policy label=".."><child .../></policy> </service>:
 * init announces X to its parent and hands each session to the child the best-matching
 * policy names (Genode's session-policy matching).
 */
export interface ForwardedService {
  name: string;
  policies: Array<LabelMatch & { target: ForwardTarget }>;
  defaultPolicy?: ForwardTarget;
  position: string;
}

export interface InitConfig {
  /** verbose="yes": init logs what it starts, restarts and removes, and its quota. */
  verbose: boolean;
  /** The config's version attribute (Genode copies it into state reports). */
  version: string;
  parentProvides: Set<string>;
  defaultRoute: RouteRule[];
  starts: StartConfig[];
  /** <service name="..."> nodes: services of children init offers its own parent. */
  forwards: ForwardedService[];
  /** <heartbeat rate_ms="..."/>: the period of heartbeat requests, 0 without one. */
  heartbeatRateMs: number;
  /** <report .../>: what init's state report holds, undefined without one. */
  report?: ReportDetail;
  /** <alias name="..." child="..."/>: another name for a child, as a route target. */
  aliases: Map<string, { child: string; position: string }>;
}

const DEFAULT_CAPS = 100;
const TOP_NODES = new Set(['parent-provides', 'default-route', 'start', 'default', 'alias', 'report', 'heartbeat', 'service']);

/*
 * Nodes of Genode's init config that this init does not implement: refused by name, so a
 * config never behaves differently without a word.
 */
const UNSUPPORTED_TOP: Record<string, string> = {
  'affinity-space': 'CPU affinities',
  'resource': 'init\'s own resource preservation',
};
const UNSUPPORTED_START: Record<string, string> = {
  'affinity': 'CPU affinities',
};
const START_NODES = new Set(['binary', 'resource', 'provides', 'route', 'config', 'exit', 'heartbeat']);

/* Attributes of <start> and <config> this init knows; others are refused (ld="no" means nothing here: no binary is dynamically linked) */
const START_ATTRS = new Set(['name', 'caps', 'ram', 'priority', 'version', 'ld']);
const UNSUPPORTED_START_ATTRS: Record<string, string> = { 'managing_system': 'access to platform resources beyond sessions' };
const CONFIG_ATTRS = new Set(['verbose', 'prio_levels', 'version']);

function checkAttributes(n: XmlNode, known: Set<string>, unsupportedAttrs: Record<string, string> = {}): void {
  for (const a of n.attributeNames()) {
    const why = unsupportedAttrs[a];
    if (why) throw n.error(`attribute "${a}" is not supported by this init (${why})`);
    if (!known.has(a)) throw n.error(`unknown attribute "${clip(a)}" (expected one of ${[...known].join(', ')})`);
  }
}

function unsupported(n: XmlNode, what: string): XmlError {
  return n.error(`not supported by this init (${what}); remove the node`);
}

/** Longest name of a child or binary, in UTF-8 bytes (Genode's child names are String<64>). */
export const NAME_MAX = 64;

/** Quotes would end the label="..." session argument; control characters would forge log lines. */
const NOT_IN_LABEL = /["\u0000-\u001f\u007f]/;

const encoder = new TextEncoder();

/** An attribute's value, checked to fit a session label: not longer than `max` bytes, no quote or control character. */
function labelText(n: XmlNode, attr: string, max: number, fallback?: string): string {
  const v = n.attr(attr, fallback);
  const shown = `${attr}="${clip(v)}"`;
  const bytes = encoder.encode(v).length;
  if (bytes > max) throw n.error(`attribute ${shown} is too long (${bytes} bytes, at most ${max})`);
  if (NOT_IN_LABEL.test(v)) throw n.error(`attribute ${shown} contains a quote or control character, which cannot be part of a label`);
  return v;
}

/**
 * The name of a child or binary: one element of a label. A " -> " in it would make the
 * child's sessions look like a grandchild's ("a -> b"), forging labels that policies trust.
 */
function labelElement(n: XmlNode, attr: string, fallback?: string): string {
  const v = labelText(n, attr, NAME_MAX, fallback);
  if (!v.trim()) throw n.error(`attribute ${attr}="${clip(v)}" is empty`);
  if (v.includes(LABEL_SEPARATOR)) throw n.error(`attribute ${attr}="${clip(v)}" contains "${LABEL_SEPARATOR}", which separates the elements of a label`);
  return v;
}

function serviceName(n: XmlNode): string {
  const v = labelText(n, 'name', SERVICE_NAME_MAX);
  if (!v.trim()) throw n.error('attribute name="" is empty (expected a service name)');
  return v;
}

function labelAttrs(n: XmlNode): LabelMatch {
  const m: LabelMatch = {};
  if (n.hasAttr('label')) m.label = labelText(n, 'label', SESSION_ARGS_MAX);
  if (n.hasAttr('label_prefix')) m.labelPrefix = labelText(n, 'label_prefix', SESSION_ARGS_MAX);
  if (n.hasAttr('label_suffix')) m.labelSuffix = labelText(n, 'label_suffix', SESSION_ARGS_MAX);
  if (n.hasAttr('unscoped_label')) m.unscopedLabel = labelText(n, 'unscoped_label', SESSION_ARGS_MAX);
  return m;
}

/* Attributes of routing rules and targets; a misspelt one would otherwise widen a rule without a word */
const RULE_ATTRS = new Set(['label', 'label_prefix', 'label_suffix', 'unscoped_label']);
const TARGET_ATTRS = new Set(['label', 'diag']);

function parseTargets(rule: XmlNode): RouteTarget[] {
  return rule.children().map((t): RouteTarget => {
    if (['parent', 'child', 'any-child'].includes(t.type)) checkAttributes(t, t.type === 'child' ? new Set([...TARGET_ATTRS, 'name']) : TARGET_ATTRS);
    const label = t.hasAttr('label') ? labelText(t, 'label', SESSION_ARGS_MAX) : undefined;
    const position = t.position;
    switch (t.type) {
      case 'parent': return { kind: 'parent', label, position };
      case 'child': return { kind: 'child', name: labelElement(t, 'name'), label, position };
      case 'any-child': return { kind: 'any-child', label, position };
      default: throw t.error('unknown route target (expected <parent/>, <child name=.../> or <any-child/>)');
    }
  });
}

export function parseRoute(node: XmlNode): RouteRule[] {
  return node.children().map((rule) => {
    if (rule.type === 'service' || rule.type === 'any-service') {
      checkAttributes(rule, rule.type === 'service' ? new Set([...RULE_ATTRS, 'name']) : RULE_ATTRS, { label_last: 'matching the last label element' });
    }
    if (rule.type === 'service') {
      return { service: serviceName(rule), ...labelAttrs(rule), targets: parseTargets(rule), position: rule.position };
    }
    if (rule.type === 'any-service') return { ...labelAttrs(rule), targets: parseTargets(rule), position: rule.position };
    throw rule.error('unknown routing rule (expected <service name=...> or <any-service>)');
  });
}

/**
 * A quota attribute: digits with an optional K, M or G that are also an exact amount
 * (quota_amount.ts: a whole number from 0 to 2^53 - 1), or an error at its position.
 */
function quotaAttr(n: XmlNode, name: string, fallback?: number): number {
  return n.numberAttr(name, fallback, AMOUNT_MAX);
}

/** <config prio_levels>: a power of two, 1 (no priorities) by default, as in Genode. */
function parsePrioLevels(root: XmlNode): number {
  const levels = root.numberAttr('prio_levels', 1, CpuSession.PRIORITY_LIMIT);
  if (levels < 1 || (levels & (levels - 1)) !== 0) {
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
  const name = labelElement(n, 'name');
  checkAttributes(n, START_ATTRS, UNSUPPORTED_START_ATTRS);
  let ram = n.hasAttr('ram') ? quotaAttr(n, 'ram') : undefined;
  let caps = quotaAttr(n, 'caps', defaultCaps);
  let ramMaximum: number | undefined;
  let capsMaximum: number | undefined;
  for (const r of n.children('resource')) {
    if (r.attr('name') === 'RAM') {
      ram = quotaAttr(r, 'quantum');
      ramMaximum = maximumAttr(r, ram);
    } else if (r.attr('name') === 'CAP') {
      caps = quotaAttr(r, 'quantum');
      capsMaximum = maximumAttr(r, caps);
    } else {
      throw r.error(`unknown resource "${clip(r.attr('name'))}" (expected RAM or CAP)`);
    }
  }
  if (ram === undefined) throw n.error(`start "${name}" has no RAM quantum (ram="..." or <resource name="RAM" quantum="..."/>)`);
  const routeNode = n.child('route');
  for (const c of n.children()) {
    const why = UNSUPPORTED_START[c.type];
    if (why) throw unsupported(c, why);
    if (!START_NODES.has(c.type)) throw c.error(`unknown node in <start name="${name}">`);
  }
  const exits = n.children('exit');
  if (exits.length > 1) throw exits[1]!.error('more than one <exit> in a <start>');
  for (const attr of exits[0]?.attributeNames() ?? []) {
    if (attr !== 'propagate') throw exits[0]!.error(`unknown attribute "${clip(attr)}" (expected propagate="yes")`);
  }
  return {
    name,
    binary: binaryName(n, name),
    ram,
    caps,
    cpuPriority: parseCpuPriority(n, prioLevels),
    prioLevels,
    ramMaximum: Math.max(ramMaximum ?? ram, ram),
    capsMaximum: Math.max(capsMaximum ?? caps, caps),
    provides: (n.child('provides')?.children() ?? []).map((s) => {
      if (s.type !== 'service') throw s.error('expected <service name=.../> in <provides>');
      return serviceName(s);
    }),
    route: routeNode ? parseRoute(routeNode) : undefined,
    exitPropagate: exits[0]?.boolAttr('propagate') ?? false,
    heartbeat: n.children('heartbeat').length > 0,
    config: n.child('config')?.toString(),
    position: n.position,
    fingerprint: n.toString(),
  };
}

export function parseInitConfig(text: string, source = 'config of init'): InitConfig {
  const root = XmlNode.parse(text, source);
  if (root.type !== 'config') throw root.error('the root node must be <config>');
  checkAttributes(root, CONFIG_ATTRS);
  const defaultNode = root.child('default');
  if (defaultNode) checkAttributes(defaultNode, new Set(['caps']));
  const defaultCaps = defaultNode ? quotaAttr(defaultNode, 'caps', DEFAULT_CAPS) : DEFAULT_CAPS;
  const prioLevels = parsePrioLevels(root);
  const parentProvides = new Set<string>();
  for (const n of root.children()) {
    const why = UNSUPPORTED_TOP[n.type];
    if (why) throw unsupported(n, why);
    if (!TOP_NODES.has(n.type)) throw n.error('unknown node in <config>');
  }
  for (const p of root.children('parent-provides')) {
    for (const s of p.children()) {
      if (s.type !== 'service') throw s.error('expected <service name=.../> in <parent-provides>');
      parentProvides.add(serviceName(s));
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
  const aliases = parseAliases(root, seen);
  const reports = root.children('report');
  if (reports.length > 1) throw reports[1]!.error('more than one <report> in <config>');
  const report = reports[0] ? parseReportDetail(reports[0]) : undefined;
  const heartbeatRateMs = parseHeartbeat(root);
  const forwards = parseForwards(root, aliases);
  const config = { verbose: root.boolAttr('verbose'), version: root.attr('version', ''), parentProvides, defaultRoute: dr ? parseRoute(dr) : [], starts, aliases, report, heartbeatRateMs, forwards };
  resolveAliases(config);
  checkRoutes(config);
  return config;
}

/** The one <child name="..." label="..."/> of a forwarding policy (an alias stands for its child). */
function forwardTarget(policy: XmlNode, aliases: Map<string, { child: string }>): ForwardTarget {
  const nodes = policy.children();
  if (nodes.length !== 1 || nodes[0]!.type !== 'child') throw policy.error('expected exactly one <child name="..."/> in a policy of <service>');
  const t = nodes[0]!;
  const name = labelElement(t, 'name');
  return { child: aliases.get(name)?.child ?? name, label: t.hasAttr('label') ? labelText(t, 'label', SESSION_ARGS_MAX) : undefined, position: t.position };
}

/** The <service> nodes: a service init forwards to a child, at most one node per service. */
function parseForwards(root: XmlNode, aliases: Map<string, { child: string }>): ForwardedService[] {
  const out: ForwardedService[] = [];
  for (const n of root.children('service')) {
    const name = serviceName(n);
    const earlier = out.find((f) => f.name === name);
    if (earlier) throw n.error(`duplicate <service name="${name}"> (first at ${earlier.position})`);
    const f: ForwardedService = { name, policies: [], position: n.position };
    for (const p of n.children()) {
      if (p.type === 'default-policy') {
        if (f.defaultPolicy) throw p.error('a second <default-policy> in <service>');
        f.defaultPolicy = forwardTarget(p, aliases);
      } else if (p.type === 'policy') {
        const m = labelAttrs(p);
        if (m.unscopedLabel !== undefined) throw p.error('unscoped_label has no meaning in a policy of <service> (use label)');
        if (m.label === undefined && m.labelPrefix === undefined && m.labelSuffix === undefined) {
          throw p.error('a <policy> needs label, label_prefix or label_suffix (or use <default-policy>)');
        }
        f.policies.push({ ...m, target: forwardTarget(p, aliases) });
      } else {
        throw p.error('unknown node in <service> (expected <policy> or <default-policy>)');
      }
    }
    if (!f.policies.length && !f.defaultPolicy) throw n.error(`<service name="${name}"> has no <policy> and no <default-policy>: it could serve nobody`);
    out.push(f);
  }
  return out;
}

/** <heartbeat rate_ms="1000"/> (Genode's default period), at most one; 0 without. */
function parseHeartbeat(root: XmlNode): number {
  const nodes = root.children('heartbeat');
  if (nodes.length > 1) throw nodes[1]!.error('more than one <heartbeat> in <config>');
  const n = nodes[0];
  if (!n) return 0;
  const rate = n.numberAttr('rate_ms', 1000, 24 * 3600 * 1000);
  if (rate < 1) throw n.error('rate_ms must be at least 1');
  return rate;
}

/**
 * The <alias> nodes: a name that is no start name and no other alias, for a child (which
 * need not exist yet: routes to it wait or fail as to any absent child).
 */
function parseAliases(root: XmlNode, starts: Map<string, string>): Map<string, { child: string; position: string }> {
  const aliases = new Map<string, { child: string; position: string }>();
  for (const a of root.children('alias')) {
    const name = labelElement(a, 'name');
    const child = labelElement(a, 'child');
    const start = starts.get(name);
    if (start) throw a.error(`alias name "${name}" is also a start name (at ${start})`);
    const earlier = aliases.get(name);
    if (earlier) throw a.error(`duplicate alias name "${name}" (first at ${earlier.position})`);
    aliases.set(name, { child, position: a.position });
  }
  for (const [name, { child, position }] of aliases) {
    if (aliases.has(child)) throw new XmlError(`${position}: <alias>: alias "${name}" names the alias "${child}": an alias must name a child`);
  }
  return aliases;
}

/** Route targets <child name="ALIAS"/> become the aliased child (Genode resolves them the same way while routing). */
function resolveAliases(config: InitConfig): void {
  const rules = [config.defaultRoute, ...config.starts.map((s) => s.route ?? [])];
  for (const rule of rules.flat()) {
    for (const t of rule.targets) {
      if (t.kind === 'child') {
        const alias = config.aliases.get(t.name);
        if (alias) t.name = alias.child;
      }
    }
  }
}

/** How far a resource may grow on the child's requests: not below its quantum. */
function maximumAttr(r: XmlNode, quantum: number): number {
  const max = quotaAttr(r, 'maximum', quantum);
  if (max < quantum) throw r.error(`attribute maximum="${clip(r.attr('maximum'))}" is below the quantum (${quantum})`);
  return max;
}

/** The ROM module a child runs: <binary name="..."/>, or the start name. */
function binaryName(start: XmlNode, name: string): string {
  const b = start.children('binary');
  if (b.length > 1) throw b[1]!.error('more than one <binary> in a <start>');
  return b[0] ? labelElement(b[0], 'name') : name;
}

export { XmlError };
