/*
 * Which devices a Platform session may use, from the driver's config (Genode's session
 * policies):
 *
 *   <config>
 *     <policy label_prefix="fb_drv"> <pci class="VGA"/> </policy>
 *     <policy label="test-pci"> <device name="00:00.0"/> <pci vendor_id="0x8086"/> </policy>
 *     <default-policy> ... </default-policy>
 *   </config>
 *
 * A session gets the best-matching policy: an exact `label` first, then the longest
 * `label_prefix`/`label_suffix` match, then <default-policy>; no match means no session.
 * Inside, <device name=...> names a device, <pci class=...> a class (see pci_class.ts) and
 * <pci vendor_id=... device_id=...> an identity.
 */
import type { XmlNode } from '../../../../base/src/util/xml_node.js';
import { hexAttr, type DeviceDescription } from '../../session/platform/devices.js';
import { PCI_CLASS_NAMES, classMatcher } from './pci_class.js';

type Selector = (d: DeviceDescription) => boolean;

export class DevicePolicy {
  constructor(readonly what: string, private readonly selectors: Selector[]) {}

  permits(d: DeviceDescription): boolean {
    return this.selectors.some((s) => s(d));
  }
}

interface Candidate {
  policy: DevicePolicy;
  label?: string;
  prefix?: string;
  suffix?: string;
}

function parseSelector(n: XmlNode): Selector {
  if (n.type === 'device') {
    const name = n.attr('name');
    return (d) => d.name === name;
  }
  if (n.type !== 'pci') throw n.error('unknown node in a policy (expected <device name=.../> or <pci .../>)');
  if (n.hasAttr('class')) {
    const name = n.attr('class');
    const match = classMatcher(name);
    if (!match) throw n.error(`unknown PCI class "${name}" (known: ${PCI_CLASS_NAMES.join(', ')})`);
    return (d) => match(d.classCode);
  }
  if (n.hasAttr('vendor_id')) {
    const vendor = hexAttr(n, 'vendor_id');
    const device = n.hasAttr('device_id') ? hexAttr(n, 'device_id') : undefined;
    return (d) => d.vendor === vendor && (device === undefined || d.device === device);
  }
  throw n.error('<pci> needs class="..." or vendor_id="..." (and optionally device_id="...")');
}

function parsePolicy(n: XmlNode, what: string): DevicePolicy {
  return new DevicePolicy(what, n.children().map(parseSelector));
}

export class PolicyTable {
  private constructor(private readonly candidates: Candidate[], private readonly fallback: DevicePolicy | undefined) {}

  static parse(config: XmlNode): PolicyTable {
    const candidates: Candidate[] = [];
    let fallback: DevicePolicy | undefined;
    for (const n of config.children()) {
      if (n.type === 'default-policy') {
        if (fallback) throw n.error('a second <default-policy>');
        fallback = parsePolicy(n, 'default policy');
        continue;
      }
      if (n.type !== 'policy') continue; // other config nodes belong to the driver itself
      const c: Candidate = { policy: parsePolicy(n, `policy at ${n.position}`) };
      if (n.hasAttr('label')) c.label = n.attr('label');
      if (n.hasAttr('label_prefix')) c.prefix = n.attr('label_prefix');
      if (n.hasAttr('label_suffix')) c.suffix = n.attr('label_suffix');
      if (c.label === undefined && c.prefix === undefined && c.suffix === undefined) {
        throw n.error('a <policy> needs label, label_prefix or label_suffix (or use <default-policy>)');
      }
      candidates.push(c);
    }
    return new PolicyTable(candidates, fallback);
  }

  /** The policy for a session label, or undefined if none applies. */
  select(label: string): DevicePolicy | undefined {
    const exact = this.candidates.find((c) => c.label === label);
    if (exact) return exact.policy;
    let best: Candidate | undefined;
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
