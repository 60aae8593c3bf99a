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
import { SessionPolicies } from '../../lib/session_policy.js';

type Selector = (d: DeviceDescription) => boolean;

export class DevicePolicy {
  constructor(readonly what: string, private readonly selectors: Selector[]) {}

  permits(d: DeviceDescription): boolean {
    return this.selectors.some((s) => s(d));
  }
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

/** The device policies of the platform driver's config. */
export type PolicyTable = SessionPolicies<DevicePolicy>;
export const PolicyTable = {
  parse: (config: XmlNode): PolicyTable => SessionPolicies.parse(config, parsePolicy),
};
