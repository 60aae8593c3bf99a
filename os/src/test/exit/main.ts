/*
 * test-exit: ends the way its config says, to test how init handles it:
 *   <config action="exit" value="3"/>   exits with value 3
 *   <config action="throw"/>           throws from construct (an uncaught error)
 *   <config action="log" lines="20"/>  keeps logging, then exits 0
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-exit');
  const log = await Connection.open(env, LogSession);
  const action = config.attr('action');
  switch (action) {
    case 'exit':
      await log.session.write(`exiting with value ${config.numberAttr('value')}`);
      await env.exit(config.numberAttr('value'));
      return;
    case 'throw':
      await log.session.write('throwing');
      throw new RangeError('test-exit was told to throw');
    case 'log': {
      const lines = config.numberAttr('lines', 20);
      for (let i = 1; i <= lines; i++) await log.session.write(`still alive ${i}`);
      await env.exit(0);
      return;
    }
    default:
      throw config.error(`unknown action "${action}"`);
  }
}
