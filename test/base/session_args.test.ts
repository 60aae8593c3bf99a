/* Genode-style session argument strings. */
import test from 'ava';
import { BadArgument } from '../../base/src/errors.js';
import { formatArgs, labelLastElement, numberArg, parseArgs, prefixLabel, withArg } from '../../base/src/session/args.js';

test('parses labels, numbers with suffixes and bare words', (t) => {
  const a = parseArgs('label="init -> test", ram_quota=8K, cap_quota=2, size=1M, mode=rw');
  t.is(a.get('label'), 'init -> test');
  t.is(a.get('ram_quota'), 8192);
  t.is(a.get('size'), 1024 * 1024);
  t.is(a.get('cap_quota'), 2);
  t.is(a.get('mode'), 'rw');
});

test('round-trips through formatArgs', (t) => {
  const text = formatArgs(parseArgs('label="a", ram_quota=100'));
  t.is(text, 'label="a", ram_quota=100');
  t.is(withArg(text, 'label', 'b -> a'), 'label="b -> a", ram_quota=100');
});

test('malformed strings are refused with the column', (t) => {
  t.throws(() => parseArgs('label="x'), { instanceOf: BadArgument, message: /unterminated string/ });
  t.throws(() => parseArgs('ram_quota 5'), { instanceOf: BadArgument, message: /expected '=' after "ram_quota" at column 11/ });
  t.throws(() => parseArgs('a=1, a=2'), { instanceOf: BadArgument, message: /duplicate argument "a"/ });
  t.throws(() => parseArgs('=3'), { instanceOf: BadArgument, message: /expected an argument name at column 1/ });
  t.throws(() => numberArg(parseArgs('ram_quota=lots'), 'ram_quota'), { instanceOf: BadArgument });
});

test('labels are prefixed by each parent', (t) => {
  t.is(prefixLabel('init', ''), 'init');
  t.is(prefixLabel('init', 'launchpad -> x'), 'init -> launchpad -> x');
  t.is(labelLastElement('init -> launchpad -> x'), 'x');
});
