/* The noux runtime's tty line discipline: echo and editing, type-ahead echoed only when read, CR LF output. */
import test from 'ava';
import type { Stream } from '../../libports/src/lib/noux/stream.js';
import { ttyInput, ttyOutput } from '../../libports/src/lib/noux/tty.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function terminal(keys: string) {
  let unread = enc.encode(keys);
  let shown = '';
  const raw: Stream = {
    read: async (count) => { const out = unread.subarray(0, count); unread = unread.subarray(out.length); return out; },
    write: async (data) => { shown += dec.decode(data); return data.length; },
    close: async () => {},
  };
  const out = ttyOutput(raw);
  return { input: ttyInput(raw, out), out, shown: () => shown };
}

test('lines are edited and echoed; type-ahead is echoed only when its line is read', async (t) => {
  const tty = terminal('ls -x\x7fl\rnext\x15echo\r');
  t.is(dec.decode(await tty.input.read(100)), 'ls -l\n');
  t.is(tty.shown(), 'ls -x\b \bl\r\n', 'the second line is not echoed yet');
  t.is(dec.decode(await tty.input.read(100)), 'echo\n');
  t.is(tty.shown(), 'ls -x\b \bl\r\nnext\b \b\b \b\b \b\b \becho\r\n');
  t.is((await tty.input.read(100)).length, 0, 'the end of input');
});

test('output LF becomes CR LF; Ctrl-D on an empty line ends input; short reads keep the rest', async (t) => {
  const tty = terminal('abcdef\r\x04');
  await tty.out.write(enc.encode('one\ntwo\r\n'));
  t.is(tty.shown(), 'one\r\ntwo\r\n');
  t.is(dec.decode(await tty.input.read(4)), 'abcd');
  t.is(dec.decode(await tty.input.read(10)), 'ef\n');
  t.is((await tty.input.read(10)).length, 0);
});
