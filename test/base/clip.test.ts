/* Untrusted values in messages: short, one line, no terminal escapes. */
import test from 'ava';
import { clip } from '../../base/src/util/clip.js';

test('short values are shown as they are', (t) => {
  t.is(clip('init -> timer'), 'init -> timer');
  t.is(clip(''), '');
});

test('long values are cut with "..."', (t) => {
  t.is(clip('x'.repeat(1 << 20)), `${'x'.repeat(64)}...`);
  t.is(clip('abcdef', 3), 'abc...');
});

test('control characters are escaped, so a value cannot start a log line of its own', (t) => {
  t.is(clip('a\n[init] forged'), 'a\\n[init] forged');
  t.is(clip('\u001b[2J\t\r\u0000'), '\\x1b[2J\\t\\r\\x00');
  t.is(clip('a\u2028b'), 'a\\u2028b');
});

test('a cut never splits a surrogate pair', (t) => {
  t.is(clip(`ab${'😀'.repeat(3)}`, 3), 'ab...');
});
