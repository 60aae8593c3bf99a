/*
 * lua: the Lua 5.4 interpreter as a component (libports/src/lib/lua). It runs scripts
 * from ROM modules or files of its VFS, in config order, then, if configured, the
 * interactive REPL on its stdin/stdout (a Terminal session through the VFS):
 *
 *   <config epoch="1700000000" max_output="1M">
 *     <vfs> <dir name="dev"> <log/> <terminal/> </dir> <dir name="tmp"> <ram/> </dir> </vfs>
 *     <libc stdin="/dev/terminal" stdout="/dev/log" stderr="/dev/log" cwd="/tmp"/>
 *     <env name="USER" value="genode"/>
 *     <script rom="hello.lua"> <arg value="one"/> </script>
 *     <script file="/tmp/other.lua"/>
 *     <repl echo="yes"/>
 *   </config>
 *
 * print and io.write go to the libc's stdout, os.time/os.clock come from the Timer
 * session (os.time counts from `epoch`, default 0). Each script's failure is logged with
 * its traceback; the next script still runs. The component exits with the last script's
 * os.exit code (or 1 if a script failed) once everything ran.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { TimerConnection } from '../../../../os/src/session/timer/connection.js';
import { Libc } from '../../lib/libc/libc.js';
import { LuaInterpreter } from '../../lib/lua/interpreter.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: XmlNode;
  let libc: Libc;
  let lua: LuaInterpreter;
  try {
    config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of lua');
    libc = await Libc.fromConfig(env, log, config);
    const timer = await TimerConnection.open(env);
    const vars: Record<string, string> = {};
    for (const n of config.children('env')) vars[n.attr('name')] = n.attr('value', '');
    lua = await LuaInterpreter.create({
      libc, timer, env: vars, epoch: config.numberAttr('epoch', 0), maxOutput: config.numberAttr('max_output', 1024 * 1024, 1 << 30),
    });
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
  let code = 0;
  for (const node of config.children()) {
    const type = node.type;
    if (type !== 'script' && type !== 'repl') continue;
    let name = 'repl';
    try {
      let result;
      if (type === 'script') {
        const args = node.children('arg').map((a) => a.attr('value'));
        if (node.hasAttr('rom')) {
          name = node.attr('rom');
          const text = (await AttachedRomDataspace.open(env, name)).text();
          result = await lua.run(text, `@${name}`, args);
        } else {
          name = node.attr('file');
          result = await lua.run(await libc.readFile(name), `@${name}`, args);
        }
      } else {
        result = await lua.repl(node.boolAttr('echo', false));
      }
      if (!result.ok) {
        code = 1;
        await log(`Error: ${name}: ${result.message ?? 'failed'}`);
      } else {
        code = result.exitCode ?? 0;
        await log(`${name} finished${result.exitCode !== undefined ? ` (os.exit ${result.exitCode})` : ''}`);
      }
    } catch (e) {
      code = 1;
      await log(`Error: ${name}: ${describeError(e)}`);
    }
  }
  await libc.closeAll();
  return env.exit(code);
}
