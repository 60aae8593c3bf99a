/* test-reload_child: says hello with its config value, and again whenever its config changes. */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { ReloadTestSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const rom = await AttachedRomDataspace.open(env, 'config');
  const test = (await Connection.open(env, ReloadTestSession)).session;
  const hello = async () => {
    const config = XmlNode.parse(rom.text(), 'config of test-reload_child');
    await test.hello(config.attr('name'), config.numberAttr('value'));
  };
  const handler = await env.signalHandler(async () => {
    await rom.update();
    await hello();
  });
  await rom.sigh(handler);
  await hello();
}
