/* tool/run --kernel linux log, as a user runs it: a subprocess that must exit 0. */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../tool/runner/main.js', import.meta.url));

test('the log scenario runs on linux', (t) => {
  const r = spawnSync(process.execPath, [MAIN, '--kernel', 'linux', 'log'], { encoding: 'utf8', timeout: 60_000 });
  t.is(r.status, 0, `${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.split('\n');
  for (const expected of [
    '[init -> test-log] hello world',
    '[init -> test-log] multi-line',
    '[init -> test-log]  output',
    '[init -> test-log] integer -42, hex 0xdeadbeef, unicode äöü',
    '[init -> test-log] over-long message refused: MessageOverflow',
    '[init -> test-log] Test done.',
    '[init] child "test-log" exited with exit value 0',
  ]) t.true(lines.includes(expected), `missing line: ${expected}\n${r.stdout}`);
  t.regex(r.stderr, /log on linux succeeded/);
});
