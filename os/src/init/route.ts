/*
 * Session routing (Genode's sandbox route model): rules are tried in order; a <service>
 * rule that matches but whose targets all fail denies the request, an <any-service> rule
 * lets matching go on with the next rule. Labels are matched without the requesting
 * child's own name in front, except for `unscoped_label`.
 */
import { LABEL_SEPARATOR } from '../../../base/src/session/args.js';
import type { LabelMatch, RouteRule, RouteTarget } from './config_model.js';

/** The label as the child itself named it ("" or "x -> y"), or undefined if it is not the child's. */
export function scopedLabel(child: string, label: string): string | undefined {
  if (label === child) return '';
  if (label.startsWith(child + LABEL_SEPARATOR)) return label.slice(child.length + LABEL_SEPARATOR.length);
  return undefined;
}

export function labelMatches(m: LabelMatch, child: string, label: string): boolean {
  if (m.unscopedLabel !== undefined) return label === m.unscopedLabel;
  const scoped = scopedLabel(child, label);
  const has = m.label !== undefined || m.labelPrefix !== undefined || m.labelSuffix !== undefined;
  if (!has) return true;
  if (scoped === undefined) return false;
  if (m.label !== undefined && scoped !== m.label) return false;
  if (m.labelPrefix !== undefined && !scoped.startsWith(m.labelPrefix)) return false;
  if (m.labelSuffix !== undefined && !scoped.endsWith(m.labelSuffix)) return false;
  return true;
}

export interface RouteCandidate {
  rule: RouteRule;
  targets: RouteTarget[];
}

/** The rules that apply to a request, in order, with whether failing one ends the search. */
export function* matchingRules(rules: RouteRule[], child: string, service: string, label: string): Generator<{ rule: RouteRule; final: boolean }> {
  for (const rule of rules) {
    if (rule.service !== undefined && rule.service !== service) continue;
    if (!labelMatches(rule, child, label)) continue;
    yield { rule, final: rule.service !== undefined };
  }
}
