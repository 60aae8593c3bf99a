/* libports' noux shell: parsing, pipes, redirections, status, a broken pipe. */
import test from 'ava';
import type { Process } from '../../libports/src/lib/noux/process.js';
import { Shell } from '../../libports/src/lib/noux/shell.js';
import { Pipe, PIPE_CAPACITY, type Stream } from '../../libports/src/lib/noux/stream.js';
import { fakeTimer, ramLibc } from './helpers.js';

const dec = new TextDecoder();
const enc = new TextEncoder();

function sink(into: string[]): Stream {
  return { read: async () => new Uint8Array(0), write: async (d) => (into.push(dec.decode(d)), d.length), close: async () => undefined };
}

async function shell() {
  const out: string[] = [];
  const errs: string[] = [];
  const libc = await ramLibc();
  const empty: Stream = { read: async () => new Uint8Array(0), write: async (d) => d.length, close: async () => undefined };
  const proc: Process = { argv: ['sh'], env: { HOME: '/tmp' }, fds: [empty, sink(out), sink(errs)], libc, timer: fakeTimer(), epoch: 0 };
  return { sh: new Shell(proc), out, errs, libc };
}

test('a pipe and redirections', async (t) => {
  const { sh, out, errs } = await shell();
  const status = await sh.run('echo one > f; echo "two $HOME" >> f\ncat < f | grep -n t | wc -l\ncat f nope 2>&1 | head -2');
  t.is(status, 0);
  t.deepEqual(out.join(''), '1\none\ntwo /tmp\n');
  t.deepEqual(errs, []);
});

test('status, && and ||, $? expanded when the command runs', async (t) => {
  const { sh, out, errs } = await shell();
  await sh.run('cat nope && echo no || echo "failed $?"; nosuch; echo $?');
  t.is(out.join(''), 'failed 1\n127\n');
  t.regex(errs.join(''), /^cat: nope: ENOENT.*\nsh: nosuch: command not found\n$/);
});

test('syntax errors name the line; earlier lines ran; unsupported operators refused', async (t) => {
  const { sh, out, errs } = await shell();
  t.is(await sh.run('echo a\necho "b\nc"\necho | \n'), 2);
  t.is(out.join(''), 'a\nb\nc\n');
  t.is(errs.join(""), "sh: line 4: syntax error: empty command before \"end of line\"\n");
  errs.length = 0;
  await sh.run('sleep 1 &');
  t.regex(errs.join(''), /"&" is not supported/);
});

test('a writer whose reader is gone ends quietly', async (t) => {
  const { sh, out, errs, libc } = await shell();
  await libc.writeFile('big', enc.encode('line\n'.repeat(PIPE_CAPACITY)));
  const status = await sh.run('cat big | head -1');
  t.is(status, 0);
  t.is(out.join(''), 'line\n');
  t.deepEqual(errs, []);
});

test('a pipe hands bytes over in order and ends when the writer closes', async (t) => {
  const p = new Pipe();
  const got: string[] = [];
  const reader = (async () => {
    for (;;) {
      const b = await p.reader.read(3);
      if (!b.length) return;
      got.push(dec.decode(b));
    }
  })();
  await p.writer.write(enc.encode('abcdefg'));
  await p.writer.close();
  await reader;
  t.is(got.join(''), 'abcdefg');
});

test('cp refuses to copy a file onto itself or a directory', async (t) => {
  const { sh, out, errs } = await shell();
  await sh.run('echo keep > a; mkdir d; cp a a; cp d e; cat a');
  t.is(out.join(''), 'keep\n');
  t.regex(errs.join(''), /^cp: a: EINVAL: "a" and "a" are the same file\ncp: d: EISDIR: "d" is a directory \(no cp -r\)\n$/);
});
