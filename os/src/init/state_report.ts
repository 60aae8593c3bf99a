/*
 * init's state report (Genode's sandbox state report), as configured by <report>:
 *   <report ids="yes" child_ram="yes" child_caps="yes" requested="yes" provided="yes"
 *           init_ram="yes" init_caps="yes" delay_ms="100"/>
 * and what it looks like:
 *   <state version="...">
 *     <ram quota=".." used=".." avail=".."/>            (init_ram)
 *     <caps quota=".." used=".." avail=".."/>           (init_caps)
 *     <child name=".." binary=".." id=".." exited="N" skipped_heartbeats="N">
 *       <ram assigned=".." quota=".." used=".." avail=".." requested=".."/>   (child_ram)
 *       <caps .../>                                                           (child_caps)
 *       <requested> <session service=".." label=".." state=".."/> </requested>
 *       <provided> <session service=".." label=".." state=".."/> </provided>
 *     </child>
 *   </state>
 * Values a child chose (its session labels) are escaped, so a label cannot forge nodes.
 */
import type { Quota } from '../../../base/src/session/pd/session.js';
import type { XmlNode } from '../../../base/src/util/xml_node.js';

export interface ReportDetail {
  ids: boolean;
  childRam: boolean;
  childCaps: boolean;
  requested: boolean;
  provided: boolean;
  sessionArgs: boolean;
  initRam: boolean;
  initCaps: boolean;
  /** How long init collects changes before it reports (0: at once). */
  delayMs: number;
}

const REPORT_ATTRS = new Set(['ids', 'child_ram', 'child_caps', 'requested', 'provided', 'session_args', 'init_ram', 'init_caps', 'delay_ms']);

/** Longest delay_ms accepted: a day. */
const DELAY_MAX = 24 * 3600 * 1000;

export function parseReportDetail(n: XmlNode): ReportDetail {
  for (const a of n.attributeNames()) {
    if (!REPORT_ATTRS.has(a)) throw n.error(`unknown attribute "${a}" (expected one of ${[...REPORT_ATTRS].join(', ')})`);
  }
  if (n.children().length) throw n.children()[0]!.error('unexpected node in <report>');
  return {
    ids: n.boolAttr('ids'),
    childRam: n.boolAttr('child_ram'),
    childCaps: n.boolAttr('child_caps'),
    requested: n.boolAttr('requested'),
    provided: n.boolAttr('provided'),
    sessionArgs: n.boolAttr('session_args'),
    initRam: n.boolAttr('init_ram'),
    initCaps: n.boolAttr('init_caps'),
    delayMs: n.numberAttr('delay_ms', 100, DELAY_MAX),
  };
}

export interface SessionInfo {
  service: string;
  label: string;
  state: string;
  args?: string;
}

export interface ChildState {
  name: string;
  binary: string;
  id: number;
  /** Exit value, once the child exited. */
  exited?: number;
  incomplete: boolean;
  skippedHeartbeats: number;
  ram?: { assigned: number; requested: number };
  caps?: { assigned: number; requested: number };
  /** The child's PD account, while it has one. */
  quota?: Quota;
  requested: SessionInfo[];
  provided: SessionInfo[];
}

/** An attribute value as text that cannot end the attribute or start a node. */
export function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/[\u0000-\u001f\u007f]/g, '?');
}

function sessionsNode(tag: string, sessions: SessionInfo[], detail: ReportDetail): string[] {
  if (!sessions.length) return [`    <${tag}/>`];
  return [`    <${tag}>`, ...sessions.map((s) => `      <session service="${escapeAttr(s.service)}" label="${escapeAttr(s.label)}" state="${s.state}"${detail.sessionArgs && s.args !== undefined ? ` args="${escapeAttr(s.args)}"` : ''}/>`), `    </${tag}>`];
}

function quotaAttrs(q: { quota: number; used: number }): string {
  return `quota="${q.quota}" used="${q.used}" avail="${q.quota - q.used}"`;
}

export function formatStateReport(version: string, detail: ReportDetail, init: Quota, children: ChildState[]): string {
  const lines = [`<state${version ? ` version="${escapeAttr(version)}"` : ''}>`];
  if (detail.initRam) lines.push(`  <ram ${quotaAttrs({ quota: init.ramQuota, used: init.ramUsed })}/>`);
  if (detail.initCaps) lines.push(`  <caps ${quotaAttrs({ quota: init.capQuota, used: init.capUsed })}/>`);
  for (const c of children) {
    const attrs = [`name="${escapeAttr(c.name)}"`, `binary="${escapeAttr(c.binary)}"`];
    if (detail.ids) attrs.push(`id="${c.id}"`);
    if (c.incomplete) attrs.push('state="incomplete"');
    if (c.exited !== undefined) attrs.push(`exited="${c.exited}"`);
    if (c.skippedHeartbeats) attrs.push(`skipped_heartbeats="${c.skippedHeartbeats}"`);
    const inner: string[] = [];
    const q = c.quota;
    if (detail.childRam && c.ram) {
      inner.push(`    <ram assigned="${c.ram.assigned}"${q ? ` ${quotaAttrs({ quota: q.ramQuota, used: q.ramUsed })}` : ''}${c.ram.requested ? ` requested="${c.ram.requested}"` : ''}/>`);
    }
    const cc = c.caps;
    if (detail.childCaps && cc) {
      inner.push(`    <caps assigned="${cc.assigned}"${q ? ` ${quotaAttrs({ quota: q.capQuota, used: q.capUsed })}` : ''}${cc.requested ? ` requested="${cc.requested}"` : ''}/>`);
    }
    if (detail.requested) inner.push(...sessionsNode('requested', c.requested, detail));
    if (detail.provided) inner.push(...sessionsNode('provided', c.provided, detail));
    lines.push(inner.length ? `  <child ${attrs.join(' ')}>` : `  <child ${attrs.join(' ')}/>`);
    if (inner.length) lines.push(...inner, '  </child>');
  }
  lines.push('</state>');
  return lines.join('\n');
}
