/* GENODE_MATRIX_SHARD parsing: i/n with 1 <= i <= n, anything else named. */
import test from 'ava';
import { matrixShard } from '../../tool/runner/matrix.js';

test('shares', (t) => {
  t.deepEqual(matrixShard(undefined), [0, 1]);
  t.deepEqual(matrixShard(''), [0, 1]);
  t.deepEqual(matrixShard('1/1'), [0, 1]);
  t.deepEqual(matrixShard('3/4'), [2, 4]);
});

test('bad shares are refused with the variable named', (t) => {
  for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/2', '1/2/3']) {
    t.throws(() => matrixShard(bad), { message: new RegExp(`GENODE_MATRIX_SHARD=${bad.replace(/[/]/g, '\\/')}: give i/n`) }, bad);
  }
});

test('the bench names its own variable', (t) => {
  t.throws(() => matrixShard('9/2', 'BENCH_MATRIX_SHARD'), { message: /^BENCH_MATRIX_SHARD=9\/2: give i\/n/ });
});
