import test from 'ava';
import { MACHINE } from '../base/src/machine.js';

test('machine token is a registered symbol', (t) => {
  t.is(MACHINE as symbol, Symbol.for('genode.Machine'));
});
