/*
 * A terminal's line discipline for the runtime's standard streams (what a Unix tty's
 * cooked mode does, and what Noux got from its terminal's users): a terminal sends bare
 * keystrokes and shows only what it is sent, so input is echoed as it is typed and edited
 * (Backspace, Ctrl-U) before a whole line reaches the reader, Enter (CR) ends a line, Ctrl-D
 * on an empty line is the end of input, and output's LF becomes CR LF.
 */
import type { Stream } from './stream.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
/** A line longer than this is cut (the rest of it is dropped until Enter). */
const MAX_LINE = 4096;

/** Output to a terminal: each LF preceded by CR. */
export function ttyOutput(inner: Stream): Stream {
  return {
    read: (count) => inner.read(count),
    write: async (data) => {
      const text = dec.decode(data).replace(/\r?\n/g, '\r\n');
      await inner.write(enc.encode(text));
      return data.length;
    },
    close: () => inner.close(),
  };
}

/**
 * Input from a terminal, cooked: whole edited lines, echoed to `echo`. Keystrokes that
 * arrived ahead of the line being read stay unechoed until the reader asks for their line,
 * as a tty shows type-ahead only once the program reads it, so echo and output interleave
 * the same way however the keys were batched.
 */
export function ttyInput(inner: Stream, echo: Stream): Stream {
  let line = '';
  let ready = '';
  let pending: string[] = [];
  let eof = false;
  const say = (s: string) => echo.write(enc.encode(s));
  const decoder = new TextDecoder();
  return {
    read: async (count) => {
      while (ready.length === 0 && !eof) {
        if (pending.length === 0) {
          const b = await inner.read(256);
          if (b.length === 0) { eof = true; break; }
          pending = [...decoder.decode(b, { stream: true })];
          continue;
        }
        const ch = pending.shift()!;
        if (ch === '\r' || ch === '\n') {
          ready = `${line}\n`;
          line = '';
          await say('\r\n');
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) { line = [...line].slice(0, -1).join(''); await say('\b \b'); }
        } else if (ch === '\x15') { // Ctrl-U: the whole line
          await say('\b \b'.repeat([...line].length));
          line = '';
        } else if (ch === '\x04') { // Ctrl-D: end of input on an empty line
          if (line.length === 0) eof = true;
        } else if (ch === '\x03') { // Ctrl-C: drop the line
          line = '';
          ready = '\n';
          await say('^C\r\n');
        } else if (ch >= ' ' && line.length < MAX_LINE) {
          line += ch;
          await say(ch);
        }
      }
      const bytes = enc.encode(ready);
      const out = bytes.subarray(0, count);
      ready = dec.decode(bytes.subarray(out.length));
      return out;
    },
    write: (data) => inner.write(data),
    close: () => inner.close(),
  };
}
