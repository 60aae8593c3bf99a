/* tool/run --screenshot: the framebuffer scenario's screen as a PNG; a missing file name is bad usage. */
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';

test('--screenshot writes the screen the scenario drew', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'shot-')), 'fb.png');
  const r = await runCli(['--kernel', 'nova', '--screenshot', file, 'framebuffer']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /screenshot 640x480 written to/);
  const png = readFileSync(file);
  t.is(png.toString('ascii', 1, 4), 'PNG');
  t.is(png.readUInt32BE(16), 640);
  t.is(png.readUInt32BE(20), 480);
});

test('--screenshot without a file name is refused', async (t) => {
  const r = await runCli(['--screenshot=', 'framebuffer']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--screenshot needs a file name/);
});

test('a run without a graphics mode writes no screenshot and says why', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'shot-')), 'log.png');
  const r = await runCli(['--kernel', 'nova', '--screenshot', file, 'log']);
  t.is(r.code, 0);
  t.regex(r.stderr, /no screenshot: the VGA has no graphics mode set/);
});
