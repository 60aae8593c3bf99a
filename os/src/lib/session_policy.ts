/*
 * Genode's session-policy selection (os/session_policy.h): a server's config has
 * `<policy label=".." | label_prefix=".." | label_suffix="..">` nodes and at most one
 * `<default-policy>`. A session gets the best-matching policy: an exact `label` first,
 * then the longest `label_prefix` / `label_suffix` match, then the default policy; none
 * means no session. What a policy grants is the server's own (`parse`).
 */
import type { XmlNode } from '../../../base/src/util/xml_node.js';

interface Candidate<P> {
  policy: P;
  label?: string;
  prefix?: string;
  suffix?: string;
}

export class SessionPolicies<P> {
  private constructor(private readonly candidates: Candidate<P>[], private readonly fallback: P | undefined) {}

  /** Parses the policies of `config` (other nodes belong to the server); throws naming a bad node. */
  static parse<P>(config: XmlNode, parse: (n: XmlNode, what: string) => P): SessionPolicies<P> {
    const candidates: Candidate<P>[] = [];
    let fallback: P | undefined;
    for (const n of config.children()) {
      if (n.type === 'default-policy') {
        if (fallback !== undefined) throw n.error('a second <default-policy>');
        fallback = parse(n, 'default policy');
        continue;
      }
      if (n.type !== 'policy') continue;
      const c: Candidate<P> = { policy: parse(n, `policy at ${n.position}`) };
      if (n.hasAttr('label')) c.label = n.attr('label');
      if (n.hasAttr('label_prefix')) c.prefix = n.attr('label_prefix');
      if (n.hasAttr('label_suffix')) c.suffix = n.attr('label_suffix');
      if (c.label === undefined && c.prefix === undefined && c.suffix === undefined) {
        throw n.error('a <policy> needs label, label_prefix or label_suffix (or use <default-policy>)');
      }
      candidates.push(c);
    }
    return new SessionPolicies(candidates, fallback);
  }

  /** Whether the config has no <policy> and no <default-policy>. */
  get empty(): boolean {
    return this.candidates.length === 0 && this.fallback === undefined;
  }

  /** The policy for a session label, or undefined if none applies. */
  select(label: string): P | undefined {
    const exact = this.candidates.find((c) => c.label === label);
    if (exact) return exact.policy;
    let best: Candidate<P> | undefined;
    let bestScore = -1;
    for (const c of this.candidates) {
      if (c.label !== undefined) continue;
      if (c.prefix !== undefined && !label.startsWith(c.prefix)) continue;
      if (c.suffix !== undefined && !label.endsWith(c.suffix)) continue;
      const score = (c.prefix?.length ?? 0) + (c.suffix?.length ?? 0);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best?.policy ?? this.fallback;
  }
}
