/*
 * noux: a POSIX-like runtime (after Genode's Noux, simplified). It runs one program with
 * arguments and an environment, stdin/stdout/stderr on the libc's standard descriptors (a
 * Terminal session or LOG through the VFS), files through its VFS. The programs are the
 * shell `sh` (pipes, redirections: libports/src/lib/noux/shell.ts) and the utilities ls,
 * cat, echo, cp, mv, rm, mkdir, wc, grep, head and lua. They run inside this component,
 * each with its own descriptor table (see process.ts for why).
 *
 *   <config epoch="1700000000">
 *     <vfs> <dir name="dev"> <terminal/> </dir> <dir name="tmp"> <ram/> </dir> </vfs>
 *     <libc stdin="/dev/terminal" stdout="/dev/terminal" stderr="/dev/terminal" cwd="/tmp"/>
 *     <env name="HOME" value="/tmp"/>
 *     <start name="sh"/>                                    (interactive, prompt "$ ")
 *     <start name="sh" tty="yes"/>     (interactive on a terminal: echo and line editing, see tty.ts)
 *     <start name="sh"> <arg value="/etc/test.sh"/> </start> (a script)
 *   </config>
 *
 * The component exits with the program's exit status.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { TimerConnection } from '../../../../os/src/session/timer/connection.js';
import { Libc } from '../../lib/libc/libc.js';
import type { Process } from '../../lib/noux/process.js';
import { Shell } from '../../lib/noux/shell.js';
import { LibcStream, type Stream } from '../../lib/noux/stream.js';
import { ttyInput, ttyOutput } from '../../lib/noux/tty.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let proc: Process;
  let start: XmlNode;
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of noux');
    const libc = await Libc.fromConfig(env, log, config);
    const timer = await TimerConnection.open(env);
    const node = config.child('start');
    if (!node) throw new Error('config of noux: no <start name="..."/> node says what to run');
    start = node;
    const vars: Record<string, string> = {};
    for (const n of config.children('env')) vars[n.attr('name')] = n.attr('value', '');
    const argv = [start.attr('name'), ...start.children('arg').map((a) => a.attr('value'))];
    let std: Stream[] = [0, 1, 2].map((fd) => new LibcStream(libc, fd, false));
    /* <start tty="yes">: the standard streams are a terminal: cooked input, CR LF output */
    if (start.boolAttr('tty')) {
      const stdout = ttyOutput(std[1]!);
      std = [ttyInput(std[0]!, stdout), stdout, ttyOutput(std[2]!)];
    }
    proc = { argv, env: vars, fds: [std[0]!, std[1]!, std[2]!], libc, timer, epoch: config.numberAttr('epoch', 0) };
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
  let status: number;
  await log(`running ${proc.argv.join(' ')}`);
  try {
    const shell = new Shell(proc);
    if (proc.argv[0] === 'sh' && proc.argv.length === 1) status = await shell.interactive('$ ');
    else status = await shell.run(proc.argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '));
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    status = 1;
  }
  await log(`${proc.argv[0]} exited with status ${status}`);
  await proc.libc.closeAll();
  return env.exit(status);
}
