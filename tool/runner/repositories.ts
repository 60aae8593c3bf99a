/*
 * The repositories of the source tree (Genode's REPOSITORIES): where boot modules and run
 * scenarios are found in the build directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scenario } from '../../base/src/scenario.js';

/** Searched in this order; a later repository may not redefine an earlier one's names. */
export const REPOSITORIES = ['base', 'os', 'demo', 'gems', 'libports'];

/** build/ (this file is build/tool/runner/repositories.js). */
export const BUILD_DIR = fileURLToPath(new URL('../../', import.meta.url));

function repoDir(repo: string): string {
  return `${BUILD_DIR}${repo}`;
}

/** All binaries by name, from each repository's src/targets. */
export async function loadTargets(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const repo of REPOSITORIES) {
    const file = `${repoDir(repo)}/src/targets.js`;
    if (!existsSync(file)) continue;
    const { targets } = (await import(pathToFileURL(file).href)) as { targets: Record<string, string> };
    for (const [name, url] of Object.entries(targets)) {
      if (out.has(name)) throw new Error(`binary "${name}" is defined by two repositories`);
      out.set(name, url);
    }
  }
  return out;
}

export interface ScenarioFile {
  name: string;
  repo: string;
  file: string;
}

export function listScenarios(): ScenarioFile[] {
  const out: ScenarioFile[] = [];
  for (const repo of REPOSITORIES) {
    const dir = `${repoDir(repo)}/run`;
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.js')) out.push({ name: f.slice(0, -3), repo, file: `${dir}/${f}` });
    }
  }
  return out;
}

/**
 * A scenario module default-exports its scenario; one that can be scaled also exports
 * `configure(params)`, which tool/run's --param name=value calls.
 */
interface ScenarioModule {
  default: Scenario;
  configure?: (params: Record<string, string>) => Scenario;
}

/** The project's root (build/ is in it). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The scenario a command-line name means: its bare name (`log`), its name as `--list`
 * prints it (`base/run/log`), or its source or built file (`base/run/log.ts`,
 * `build/base/run/log.js`, absolute or relative to the project's root).
 */
export function findScenario(name: string): ScenarioFile | undefined {
  let rel = name.startsWith(ROOT) ? name.slice(ROOT.length) : name;
  rel = rel.replace(/^\.\//, '').replace(/^build\//, '');
  const m = /^([\w-]+)\/run\/([\w-]+?)(?:\.ts|\.js)?$/.exec(rel);
  const all = listScenarios();
  return m ? all.find((s) => s.repo === m[1] && s.name === m[2]) : all.find((s) => s.name === name);
}

export async function loadScenario(name: string, params?: Record<string, string>): Promise<Scenario | undefined> {
  const f = findScenario(name);
  if (!f) return undefined;
  const m = (await import(pathToFileURL(f.file).href)) as ScenarioModule;
  if (!params || Object.keys(params).length === 0) return m.default;
  if (!m.configure) throw new Error(`scenario "${f.name}" takes no parameters`);
  return m.configure(params);
}
