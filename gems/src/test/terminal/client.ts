/*
 * test-terminal_client: a client of the gems terminal. It first floods the terminal with
 * hostile bytes (a pseudo-random byte soup, endless parameter lists, an unterminated OSC
 * string, absurd cursor positions, a long run of lines through the scrollback), then
 * clears the screen and writes text in colours (standard, bright, 256-colour, true colour,
 * inverse, underline) with cursor movement, asks for the cursor position (the terminal's
 * answer arrives as input), and finally logs the keys typed into the window and writes
 * them onto the screen.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../../../os/src/lib/log.js';
import { TerminalConnection } from '../../../../os/src/session/terminal/connection.js';

/** Characters the keys the scenario types produce (see gems/run/terminal.ts). */
const EXPECTED_KEYS = 'hiA\x03\x1b[A\x1b[D\x7f\t\r';

/** A fixed pseudo-random byte sequence (xorshift32). */
function byteSoup(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/* control characters (DEL too, which JSON leaves as it is) as \uXXXX */
const visible = (text: string) => JSON.stringify(text).slice(1, -1).replace(/\x7f/g, '\\u007f');

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const term = await TerminalConnection.open(env);
  const size = await term.session.size();
  await log(`terminal size ${size.columns}x${size.lines}`);

  let input = '';
  let waiting: { until: (s: string) => boolean; resolve: () => void } | undefined;
  await term.onReadAvail(async () => {
    input += new TextDecoder().decode(await term.read());
    if (waiting?.until(input)) {
      waiting.resolve();
      waiting = undefined;
    }
  });
  const receive = (until: (s: string) => boolean) =>
    new Promise<void>((resolve) => (until(input) ? resolve() : (waiting = { until, resolve })));

  /* hostile output */
  const soup = byteSoup(64 * 1024, 0x1234567);
  await term.write(soup);
  await term.write(`\x1b[${'1;'.repeat(5000)}m\x1b[${'9'.repeat(3000)}H\x1b]0;${'t'.repeat(20000)}`);
  await term.write('\x07\x1b[99999;99999H\x1b[-5;-7H\x1b[99999A\x1b[99999@\x1b[99999P\x1b[?99999h');
  let lines = '';
  for (let i = 0; i < 1000; i++) lines += `scrolled line ${i}\r\n`;
  await term.write(lines);
  await log(`wrote ${soup.length + lines.length + 28000} hostile bytes`);

  /*
   * back to a clean state (without a full reset, which would empty the scrollback): soft
   * reset, character sets, insert and origin mode off, the normal screen, clear, home; then
   * drop the answers to queries the soup may have held
   */
  await term.write('\x1b[?1049l\x1b[!p\x1b(B\x1b)B\x0f\x1b[4l\x1b[?6l\x1b[0m\x1b[?25h\x1b[?1l\x1b[?7h\x1b[r\x1b[2J\x1b[H');
  input = '';

  await term.write('\x1b[1mgenode-ts terminal\x1b[0m\r\n\r\n');
  let colours = '';
  for (let c = 0; c < 8; c++) colours += `\x1b[3${c}m#${c} `;
  colours += '\x1b[0m\r\n';
  for (let c = 0; c < 8; c++) colours += `\x1b[1;3${c}m#${c} `;
  colours += '\x1b[0m\r\n';
  for (let c = 0; c < 8; c++) colours += `\x1b[4${c}m #${c} `;
  colours += '\x1b[0m\r\n';
  await term.write(colours);
  let cube = '';
  for (let c = 16; c < 256; c += 8) cube += `\x1b[48;5;${c}m  `;
  await term.write(`${cube}\x1b[0m\r\n`);
  await term.write('\x1b[38;2;255;160;0mtrue colour orange\x1b[0m \x1b[7minverse\x1b[0m \x1b[4munderlined\x1b[0m \x1b[2mdim\x1b[0m\r\n');
  /* cursor movement: absolute, relative, save/restore, erase to end of line */
  await term.write('\x1b[12;30Hat line 12, column 30\x1b[2A\x1b[5Dtwo up, five left\x1b[s\x1b[20;1Hline 20\x1b[uback\r\n');
  await term.write('\x1b[15;1Hthis part stays|this part is erased\x1b[19D\x1b[K\r\n');

  /* the terminal answers a cursor position request as input */
  await term.write('\x1b[16;8H\x1b[6n');
  await receive((s) => s.includes('R'));
  await log(`cursor position report: ${visible(input)}`);
  input = '';

  await term.write('\x1b[22;1Htype: ');
  await log('waiting for keys');
  await receive((s) => s.includes('\r'));
  await log(`keys: ${visible(input)}${input === EXPECTED_KEYS ? ', as expected' : ''}`);
  if (input !== EXPECTED_KEYS) await log(`Error: expected ${visible(EXPECTED_KEYS)}`);
  await term.write(`${visible(input)}\r\n`);
  await log('done');
}
