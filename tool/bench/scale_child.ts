/*
 * One row of the scale table in a process of its own (scaleInFreshProcess): the memory a
 * shape's components cost is then measured from a fresh process, not from what the rows
 * before it left behind (a run after the 1000-children one would see the host give pages
 * back while it boots, and report a negative share per component).
 *
 * node build/tool/bench/scale_child.js KERNEL CHILDREN DEPTH: prints the row as one JSON line.
 */
import '../../base/src/loader/lockdown.js'; // first: harden the realm before anything else runs
import { createContainer, kernelBackends } from '../runner/container.js';
import { scale } from './scale.js';

async function main(): Promise<void> {
  const [kernel, children, depth] = process.argv.slice(2);
  const backends = kernelBackends(createContainer());
  const backend = backends.find((b) => b.name === kernel);
  if (!backend) throw new Error(`no kernel "${kernel ?? ''}" (one of ${backends.map((b) => b.name).join(', ')})`);
  const count = (what: string, v: string | undefined): number => {
    if (v === undefined || !/^\d{1,6}$/.test(v)) throw new Error(`${what} "${v ?? ''}" is not a count`);
    return Number(v);
  };
  const row = await scale(backend, { children: count('children', children), depth: count('depth', depth) });
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`scale_child: ${(e as Error).message ?? e}\n`);
  process.exit(2);
});
