/* The IPC cost model counts copies: a bigger message costs exactly its extra words. */
import test from 'ava';
import { runCli } from './cli.js';
import { NOVA_COSTS } from '../../base-nova/src/kernel/cost_model.js';
import { NULL_RPC_COUNTS } from '../../tool/cost/published_figures.js';

function perIteration(stdout: string, op: string, kernel = 'nova'): Record<string, number> {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${op} `) && l.includes(kernel));
  if (i < 0) throw new Error(`no row for ${op}`);
  const counts = /per iteration: (.*)$/.exec(lines[i + 1]!)![1]!;
  return Object.fromEntries(counts.split(', ').map((p) => {
    const [k, v] = p.split(' ');
    return [k!, Number(v)];
  }));
}

function cycles(stdout: string, op: string): number {
  const line = stdout.split('\n').find((l) => l.startsWith(`${op} `) && l.includes('nova'))!;
  return Number(line.trim().split(/\s+/)[2]);
}

test('payload size changes the counted copies and nothing else', async (t) => {
  const r = await runCli(['--kernel', 'nova', '--breakdown', 'ipc_bench']);
  t.is(r.code, 0, r.stderr);
  const small = perIteration(r.stdout, 'payload8');
  const big = perIteration(r.stdout, 'payload512');
  t.is(big.wordCopy! - small.wordCopy!, (512 - 8) / 4);
  t.is(big.syscall, small.syscall);
  t.is(big.asSwitch, small.asSwitch);
  /* the cycle difference is the word difference priced at NOVA's word copy */
  t.is(cycles(r.stdout, 'payload512') - cycles(r.stdout, 'payload8'), (512 - 8) / 4 * NOVA_COSTS.wordCopy);
  const nul = perIteration(r.stdout, 'null');
  t.is(perIteration(r.stdout, 'cap').itemTranslate, 1);
  t.is(nul.itemTranslate ?? 0, 0);
});

test('each kernel counts the null RPC path the published-figure predictions assume', async (t) => {
  const r = await runCli(['--kernel', 'all', '--breakdown', 'ipc_bench']);
  t.is(r.code, 0, r.stderr);
  for (const [kernel, expected] of Object.entries(NULL_RPC_COUNTS)) {
    const counted = perIteration(r.stdout, 'null', kernel);
    t.deepEqual(Object.keys(counted).sort(), Object.keys(expected).sort(), kernel);
    for (const [op, n] of Object.entries(expected)) t.is(counted[op], n, `${kernel} ${op}`);
  }
  /* the report names the common profile and predicts every figure */
  t.regex(r.stdout, /null RPC on the common profile: .*PCID/);
  t.regex(r.stdout, /nova\s+one-way IPC between two PDs\s+bloomfield-x86_32\s+\d+\s+288\s+[-+]\d+ %/);
  t.regex(r.stdout, /fiasco\s+one IPC between two tasks\s+n100-x86_64\s+\d+\s+1395\*\s+[-+]\d+ %/);
  t.regex(r.stdout, /okl4\s+one-way IPC between two address spaces\s+xscale-pxa255\s+\d+\s+151\s+[-+]\d+ %/);
});
