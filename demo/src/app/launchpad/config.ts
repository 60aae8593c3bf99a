/*
 * launchpad's config: what its children may use of its parent, how their sessions are
 * routed, and the programs it offers, each with its RAM quantum:
 *
 *   <config xpos="700" ypos="40">
 *     <parent-provides> <service name="LOG"/> ... </parent-provides>
 *     <default-route> <any-service> <any-child/> <parent/> </any-service> </default-route>
 *     <launcher name="scout" ram="4M" caps="100"> <config .../> <route> ... </route> </launcher>
 *   </config>
 *
 * A <launcher> is read exactly like one of init's <start> nodes (binary, resource,
 * provides, route, config), by init's own parser. Without <launcher> entries the menu is
 * empty; nodes launchpad does not know are ignored. The window's default place is
 * Genode's launchpad's (550, 150).
 */
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { parseRoute, parseStart, type RouteRule, type StartConfig } from '../../../../os/src/init/config_model.js';

export interface LaunchpadConfig {
  parentProvides: Set<string>;
  defaultRoute: RouteRule[];
  launchers: StartConfig[];
  x: number;
  y: number;
}

const DEFAULT_CAPS = 100;

export function parseLaunchpadConfig(text: string): LaunchpadConfig {
  const root = XmlNode.parse(text, 'config of launchpad');
  if (root.type !== 'config') throw root.error('the root node must be <config>');
  const parentProvides = new Set<string>();
  let defaultRoute: RouteRule[] = [];
  const launchers: StartConfig[] = [];
  for (const n of root.children()) {
    if (n.type === 'parent-provides') {
      for (const s of n.children()) {
        if (s.type !== 'service') throw s.error('expected <service name=.../> in <parent-provides>');
        parentProvides.add(s.attr('name'));
      }
    } else if (n.type === 'default-route') {
      defaultRoute = parseRoute(n);
    } else if (n.type === 'launcher') {
      const l = parseStart(n, DEFAULT_CAPS);
      if (launchers.some((o) => o.name === l.name)) throw n.error(`duplicate launcher "${l.name}"`);
      launchers.push(l);
    }
    /* other nodes are ignored, as Genode's components do (e.g. init's config, for a launchpad without <config>) */
  }
  return { parentProvides, defaultRoute, launchers, x: root.numberAttr('xpos', 550), y: root.numberAttr('ypos', 150) };
}
