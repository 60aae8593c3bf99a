/* GENODE_MATRIX_SHARD=i/n: which share of the conformance matrix a test process runs. */

/** Which share of the pairs this process runs: [index, count], 0-based index. */
export function matrixShard(spec = process.env.GENODE_MATRIX_SHARD): [number, number] {
  if (spec === undefined || spec === '') return [0, 1];
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const i = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && i >= 1 && i <= n)) throw new Error(`GENODE_MATRIX_SHARD=${spec}: give i/n with 1 <= i <= n (e.g. 2/4)`);
  return [i - 1, n];
}
