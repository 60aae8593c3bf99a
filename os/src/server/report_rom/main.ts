/*
 * report_rom (Genode's os/src/server/report_rom): Report sessions in, ROM sessions out.
 * A report is known by its session label; a ROM client gets the report its policy names:
 *   <config verbose="no">
 *     <policy label="reader -> state" report="sub -> state"/>
 *   </config>
 * A ROM client is signalled whenever its report changes. With verbose="yes" every report
 * is logged. Other config nodes are ignored, as in Genode.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { SessionPolicies } from '../../lib/session_policy.js';
import { ReportRoot } from './report_root.js';
import { RomRegistry } from './rom_registry.js';
import { ReportRomRoot } from './rom_root.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let policies: SessionPolicies<string>;
  let verbose: boolean;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of report_rom');
    verbose = c.boolAttr('verbose');
    policies = SessionPolicies.parse(c, (n) => {
      if (!n.hasAttr('report')) throw n.error('a policy needs report="..." (the label of the report it hands out)');
      return n.attr('report');
    });
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
  const registry = new RomRegistry();
  await new ReportRoot(env, registry, log, verbose).announce();
  await new ReportRomRoot(env, registry, policies, log).announce();
}
