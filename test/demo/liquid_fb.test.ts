/* liquid_fb before any client: its window shows a note on a dark field, not a black hole. */
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng } from '../../tool/runner/png.js';
import { runCli } from '../run/cli.js';

const BG = [0x1c, 0x24, 0x30];
const FG = [0x9a, 0xa8, 0xb8];

test('the empty liquid_fb window carries its note', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'liquid-')), 'screen.png');
  const r = await runCli(['--kernel', 'nova', '--screenshot', file, 'liquid_fb']);
  t.is(r.code, 0, r.stderr);
  const img = decodePng(readFileSync(file));
  const at = (x: number, y: number) => [...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];
  /* the window is at (300, 180), 400x300 of content below its title bar */
  t.deepEqual(at(320, 240), BG, 'the content is the placeholder field');
  let text = 0;
  for (let y = 300; y < 380; y++) for (let x = 310; x < 690; x++) if (at(x, y).every((c, i) => c === FG[i])) text++;
  t.true(text > 50, `the note is drawn (${text} text pixels)`);
});
