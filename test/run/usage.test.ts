/* tool/run's answers to bad usage: exit 2 with a message naming the problem. */
import test from 'ava';
import { runCli } from './cli.js';

test('unknown kernel', async (t) => {
  const r = await runCli(['--kernel', 'plan9', 'log']);
  t.is(r.code, 2);
  t.regex(r.stderr, /unknown kernel "plan9"/);
});

test('unknown scenario', async (t) => {
  const r = await runCli(['no_such_scenario']);
  t.is(r.code, 2);
  t.regex(r.stderr, /unknown scenario "no_such_scenario"/);
});

test('unknown flag', async (t) => {
  const r = await runCli(['--frobnicate', 'log']);
  t.is(r.code, 2);
  t.regex(r.stderr, /frobnicate/);
});

test('no scenario', async (t) => {
  const r = await runCli([]);
  t.is(r.code, 2);
  t.regex(r.stderr, /name at least one scenario/);
});

test('bad timeout', async (t) => {
  const r = await runCli(['--timeout', 'soon', 'log']);
  t.is(r.code, 2);
  t.regex(r.stderr, /invalid duration "soon"/);
});

test('a scenario whose pattern never appears fails with what it waited for', async (t) => {
  const r = await runCli(['--timeout', '1ms', 'quota']);
  t.is(r.code, 1);
  t.regex(r.stderr, /waited for \/quota test succeeded\//);
});

test('--list names the scenarios', async (t) => {
  const r = await runCli(['--list']);
  t.is(r.code, 0);
  t.regex(r.stdout, /base\/run\/log/);
});

test('a scenario by the name --list prints, or by its file', async (t) => {
  for (const name of ['base/run/log', 'base/run/log.ts', 'build/base/run/log.js']) {
    const r = await runCli(['--kernel', 'okl4', name]);
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    t.regex(r.stderr, /\[run\] log on okl4 succeeded/);
  }
});

test('--kernel without a value, and a scenario taken for the screenshot file, are named', async (t) => {
  const k = await runCli(['--kernel']);
  t.is(k.code, 2);
  t.regex(k.stderr, /Not enough arguments following: kernel/);
  const s = await runCli(['--screenshot', 'framebuffer']);
  t.is(s.code, 2);
  t.regex(s.stderr, /--screenshot takes a file name, and "framebuffer" was taken for it/);
});

test('--screenshot into a directory that does not exist is refused before booting', async (t) => {
  const r = await runCli(['--screenshot', '/nonexistent-dir/fb.png', 'log']);
  t.is(r.code, 2);
  t.regex(r.stderr, /the directory \/nonexistent-dir does not exist/);
  t.notRegex(r.stderr, /ENOENT|    at /);
});

test('--kernel all heads each log on stdout, so redirected output stays in order', async (t) => {
  const r = await runCli(['--kernel', 'all', 'log']);
  t.is(r.code, 0);
  t.regex(r.stdout, /--- log on nova ---\n(\[.*\n)+--- log on fiasco ---/);
});

test('--disk and --cdrom: a missing file, a second CD or too many drives are refused before booting', async (t) => {
  const missing = await runCli(['--disk', '/nonexistent/disk.img', 'log']);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /--disk \/nonexistent\/disk\.img: no such file/);
  const twoCds = await runCli(['--cdrom', 'a.iso', '--cdrom', 'b.iso', 'log']);
  t.is(twoCds.code, 2);
  t.regex(twoCds.stderr, /--cdrom can be given once/);
  const many = await runCli([...Array.from({ length: 7 }, () => ['--disk', 'x.img']).flat(), 'log']);
  t.is(many.code, 2);
  t.regex(many.stderr, /at most 6 drives/);
});

test('--json: stdout is one JSON document with each run and its log; the log goes to stderr', async (t) => {
  const r = await runCli(['--json', '--kernel', 'all', 'log']);
  t.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { runs: Array<{ scenario: string; kernel: string; status: string; log: string[]; hostMs: number }>; bench: unknown[] };
  t.deepEqual(doc.runs.map((x) => `${x.scenario} ${x.kernel} ${x.status}`), ['log nova success', 'log fiasco success', 'log okl4 success', 'log linux success']);
  for (const run of doc.runs) t.true(run.log.includes('[init -> test-log] Test done.'), run.kernel);
  t.deepEqual(doc.bench, []);
  t.regex(r.stderr, /\[init -> test-log\] hello world/);
  t.regex(r.stderr, /--- log on fiasco ---/);
});
