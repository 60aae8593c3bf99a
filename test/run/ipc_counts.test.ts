/* The IPC cost model counts copies: a bigger message costs exactly its extra words. */
import test from 'ava';
import { runCli } from './cli.js';

function perIteration(stdout: string, op: string): Record<string, number> {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${op} `) && l.includes('nova'));
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
  /* one cycle per word on NOVA: the cycle difference is the word difference */
  t.is(cycles(r.stdout, 'payload512') - cycles(r.stdout, 'payload8'), (512 - 8) / 4);
  const nul = perIteration(r.stdout, 'null');
  t.is(perIteration(r.stdout, 'cap').itemTranslate, 1);
  t.is(nul.itemTranslate ?? 0, 0);
});
