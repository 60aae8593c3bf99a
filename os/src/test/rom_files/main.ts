/*
 * test-rom_files: opens ROM sessions for files served by a file ROM server (iso9660,
 * tar_rom) and compares each byte for byte with a reference ROM module (from core,
 * routed by the "ref/" label prefix), or checks that it is empty; files that must not
 * exist are checked to be denied.
 *   <config>
 *     <file rom="boot/config" ref="ref/0"/>   <file rom="empty" size="0"/>   <missing rom="nope"/>
 *   </config>
 * With scribble="yes" on a <file>, a first session's dataspace is attached writeable and
 * overwritten (and kept open) before the file is checked through a second session.
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { RomSession } from '../../../../base/src/session/rom/session.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-rom_files');
  const verbose = c.attr('verbose', 'yes') !== 'no';
  let identical = 0;
  let bytes = 0;
  let bad = 0;
  for (const f of c.children('file')) {
    const name = f.attr('rom');
    let scribbled: Connection<RomSession> | undefined;
    try {
      if (f.attr('scribble', 'no') === 'yes') {
        scribbled = await Connection.open(env, RomSession, { label: name });
        const ds = await scribbled.session.dataspace();
        const size = await env.rpc(Dataspace, ds).size();
        const at = await env.attach(ds, { writeable: true });
        env.view(at, size).fill(0xee);
        await env.rm.detach(at);
        await log(`"${name}": overwrote the ${size} bytes of one session's dataspace`);
      }
      const rom = await AttachedRomDataspace.open(env, name);
      let want: Uint8Array;
      let refRom: AttachedRomDataspace | undefined;
      if (f.hasAttr('ref')) {
        refRom = await AttachedRomDataspace.open(env, f.attr('ref'));
        want = refRom.bytes;
      } else {
        want = new Uint8Array(f.numberAttr('size', 0));
      }
      const got = rom.bytes;
      let diff = -1;
      if (got.length === want.length) {
        for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) { diff = i; break; }
      }
      if (got.length !== want.length) {
        bad++;
        await log(`Error: "${name}": ${got.length} bytes, expected ${want.length}`);
      } else if (diff >= 0) {
        bad++;
        await log(`Error: "${name}": byte ${diff} is ${got[diff]}, expected ${want[diff]}`);
      } else {
        identical++;
        bytes += got.length;
        if (verbose) await log(`"${name}": ${got.length} bytes, identical`);
      }
      await refRom?.close();
      await rom.close();
      await scribbled?.close();
    } catch (e) {
      bad++;
      await log(`Error: "${name}": ${describeError(e)}`);
    }
  }
  let denied = 0;
  for (const m of c.children('missing')) {
    const name = m.attr('rom');
    try {
      const rom = await AttachedRomDataspace.open(env, name);
      bad++;
      await log(`Error: "${name}" should not exist, but was served (${rom.bytes.length} bytes)`);
      await rom.close();
    } catch (e) {
      if (e instanceof ServiceDenied) {
        denied++;
        await log(`"${name}": denied, as expected`);
      } else {
        bad++;
        await log(`Error: "${name}": ${describeError(e)}, expected ServiceDenied`);
      }
    }
  }
  if (bad === 0) await log(`all ${identical} files identical (${bytes} bytes), ${denied} missing files denied`);
  else await log(`Error: ${bad} files wrong`);
  await env.exit(bad === 0 ? 0 : 1);
}
