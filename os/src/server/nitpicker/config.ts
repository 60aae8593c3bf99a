/*
 * nitpicker's config:
 *
 *   <config xray_key="KEY_SCROLLLOCK" emergency_key="KEY_F12" background="#203040">
 *     <trusted label="launchpad"/>
 *   </config>
 *
 * Keys are named by their Input key codes. <trusted> names the client the emergency key
 * focuses (by its session label: label, label_prefix or label_suffix); without one the
 * emergency key just takes the focus away from everybody. Other nodes are ignored, as
 * Genode's components do: a child without a <config> of its own is routed to its parent's
 * "config" ROM and may well read init's config.
 */
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { KEY } from '../../session/input/keycodes.js';

export interface NitpickerConfig {
  xrayKey: number;
  emergencyKey: number;
  background: number;
  trusted: (label: string) => boolean;
}

function keyAttr(c: XmlNode, name: string, fallback: string): number {
  const key = c.attr(name, fallback);
  const code = KEY[key];
  if (code === undefined) throw c.error(`${name}="${key}" is not a key name (e.g. KEY_SCROLLLOCK, KEY_F12)`);
  return code;
}

export function parseConfig(text: string): NitpickerConfig {
  const c = XmlNode.parse(text || '<config/>', 'config of nitpicker');
  const bg = c.attr('background', '#203040');
  if (!/^#[0-9a-fA-F]{6}$/.test(bg)) throw c.error(`background="${bg}" is not a colour #rrggbb`);
  const xrayKey = keyAttr(c, 'xray_key', 'KEY_SCROLLLOCK');
  const emergencyKey = keyAttr(c, 'emergency_key', 'KEY_F12');
  if (xrayKey === emergencyKey) throw c.error('xray_key and emergency_key must differ');
  const rules = c.children('trusted').map((t) => {
    const rule = { label: t.hasAttr('label') ? t.attr('label') : undefined, prefix: t.hasAttr('label_prefix') ? t.attr('label_prefix') : undefined, suffix: t.hasAttr('label_suffix') ? t.attr('label_suffix') : undefined };
    if (rule.label === undefined && rule.prefix === undefined && rule.suffix === undefined) throw t.error('needs label, label_prefix or label_suffix');
    return rule;
  });
  return {
    xrayKey,
    emergencyKey,
    background: parseInt(bg.slice(1), 16),
    trusted: (label) => rules.some((r) => (r.label === undefined || label === r.label)
      && (r.prefix === undefined || label.startsWith(r.prefix)) && (r.suffix === undefined || label.endsWith(r.suffix))),
  };
}
