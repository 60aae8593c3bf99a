/*
 * Components are kernel-neutral: code under a repository's src/ (other than the backends
 * and tool/) imports nothing from base-nova/ or any other backend.
 */
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPONENT_REPOS = ['base', 'os', 'demo', 'gems', 'libports'];
const BACKEND = /from\s+'[^']*\bbase-(nova|fiasco|okl4|linux)\//;

function* sources(dir: string): Generator<string> {
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const p = `${dir}/${e}`;
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

test('no component imports a kernel backend', (t) => {
  let checked = 0;
  const offenders: string[] = [];
  for (const repo of COMPONENT_REPOS) {
    for (const file of [...sources(`${ROOT}${repo}/src`), ...sources(`${ROOT}${repo}/run`)]) {
      checked++;
      if (BACKEND.test(readFileSync(file, 'utf8'))) offenders.push(file.slice(ROOT.length));
    }
  }
  t.true(checked > 20, `only ${checked} files found`);
  t.deepEqual(offenders, []);
});

test('the check recognises a backend import', (t) => {
  t.true(BACKEND.test(`import { x } from '../../base-nova/src/lib/runtime.js';`));
  t.false(BACKEND.test(`import { x } from '../../base/src/lib/env.js';`));
});
