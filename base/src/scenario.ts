/*
 * Run scenarios (Genode's run scripts): what to boot, init's config, and how to judge the
 * output. Each lives in <repo>/run/<name>.ts and default-exports `scenario({...})`.
 */

export interface ScenarioSpec {
  /** One line saying what the scenario checks. */
  description: string;
  /** Binary boot modules besides init. */
  modules: string[];
  /** init's config. */
  config: string;
  /** Further data ROM modules by name. */
  roms?: Record<string, string>;
  /** The run succeeds when each of these matched some output line (in any order). */
  succeed: RegExp | RegExp[];
  /** The run fails as soon as the output matches this. */
  fail?: RegExp;
  /** Time limit, e.g. "10s": virtual time on the emulated kernels, real time on linux. */
  timeout: string;
  /** Physical RAM of the emulated machine in MiB. */
  ramMiB?: number;
}

export interface Scenario extends ScenarioSpec {
  readonly timeoutMs: number;
  readonly patterns: RegExp[];
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}" (expected e.g. 500ms, 10s, 2m)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}

export function scenario(spec: ScenarioSpec): Scenario {
  return {
    ...spec,
    timeoutMs: parseDuration(spec.timeout),
    patterns: Array.isArray(spec.succeed) ? spec.succeed : [spec.succeed],
  };
}

/** A line that reports an error, in Genode's convention: "[label] Error: ...". */
export const ERROR_LINE = /\] Error: /;

/** Shared pieces of configs: what init's parent (core) provides. */
export const CORE_SERVICES = ['PD', 'CPU', 'ROM', 'RM', 'LOG'];

export function parentProvides(extra: string[] = []): string {
  return `<parent-provides>${[...CORE_SERVICES, ...extra].map((s) => `<service name="${s}"/>`).join('')}</parent-provides>`;
}

export const DEFAULT_ROUTE_TO_PARENT = '<default-route><any-service><parent/><any-child/></any-service></default-route>';
