/*
 * Priorities of nested inits (Genode's Sandbox::Child::filter_session_args): a CPU session
 * a child asks for gets the child's own priority band. With <config prio_levels="L">, the
 * child's requested priority (0 .. PRIORITY_LIMIT - 1) loses its log2(L) least significant
 * bits and the child's <start priority> fills the most significant ones, so a child (a
 * nested init included) can never ask for more than its start node gave it. With
 * prio_levels="1" (the default) requests pass unchanged, as in Genode.
 */
import { numberArg, parseArgs, withArg } from '../../../base/src/session/args.js';
import { CpuSession } from '../../../base/src/session/cpu/session.js';

/** `args` of a CPU session request of a child with CPU priority `childPriority` (already n * LIMIT / L). */
export function scaleCpuPriority(args: string, prioLevels: number, childPriority: number): string {
  if (prioLevels <= 1) return args;
  const requested = numberArg(parseArgs(args), 'priority', 0);
  const clamped = Number.isInteger(requested) ? Math.min(Math.max(requested, 0), CpuSession.PRIORITY_LIMIT - 1) : 0;
  const priority = Math.floor(clamped / prioLevels) + childPriority;
  return withArg(args, 'priority', priority);
}
