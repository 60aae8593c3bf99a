/*
 * line_echo: a small interactive client for a Terminal session (the demo's terminal
 * until a shell is there). It prints a prompt, echoes what is typed with simple line
 * editing (backspace, ctrl-U clears the line), and on Enter answers with the line it got.
 * Escape sequences (cursor keys and the like) are not part of a line: they are skipped.
 * It logs how long each line was (once the answer is on the screen).
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../../../os/src/lib/log.js';
import { TerminalConnection } from '../../../../os/src/session/terminal/connection.js';

const PROMPT = '\x1b[1;32mecho>\x1b[0m ';
/** Longer lines are cut (the terminal's width times a few lines is plenty). */
const MAX_LINE = 1024;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const term = await TerminalConnection.open(env);
  const decoder = new TextDecoder();
  let line = '';
  /* 0: plain, 1: after ESC, 2: inside a CSI/SS3 sequence */
  let escape = 0;
  let count = 0;
  await term.onReadAvail(async () => {
    let out = '';
    const done: string[] = [];
    for (const ch of decoder.decode(await term.read(), { stream: true })) {
      if (escape === 1) {
        escape = ch === '[' || ch === 'O' ? 2 : 0;
        continue;
      }
      if (escape === 2) {
        if (ch >= '@' && ch <= '~') escape = 0;
        continue;
      }
      if (ch === '\x1b') escape = 1;
      else if (ch === '\r' || ch === '\n') {
        done.push(`line ${++count}: ${[...line].length} characters`);
        out += `\r\nyou typed ${JSON.stringify(line)} (${[...line].length} characters)\r\n${PROMPT}`;
        line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (line) {
          line = [...line].slice(0, -1).join('');
          out += '\b \b';
        }
      } else if (ch === '\x15') {
        out += '\b \b'.repeat([...line].length);
        line = '';
      } else if (ch >= ' ' && line.length < MAX_LINE) {
        line += ch;
        out += ch;
      }
    }
    if (out) await term.write(out);
    for (const d of done) await log(d);
  });
  await term.write(`line_echo: type a line and press Enter (a shell comes later)\r\n${PROMPT}`);
  await log('line_echo ready');
}
