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
