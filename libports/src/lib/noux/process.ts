/*
 * A process of the shell runtime: its arguments, environment, working directory and file
 * descriptors (0 stdin, 1 stdout, 2 stderr, each a Stream). Processes run in the runtime's
 * component, each with its own descriptor table (Noux ran them as child components; here
 * they share the runtime's VFS and libc, which is what Noux's children saw through it
 * too, and a pipe is two ends of one buffer instead of a session).
 */
import type { Libc } from '../libc/libc.js';
import type { TimerConnection } from '../../../../os/src/session/timer/connection.js';
import type { Stream } from './stream.js';

const enc = new TextEncoder();

export interface Process {
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly fds: readonly [Stream, Stream, Stream];
  readonly libc: Libc;
  readonly timer: TimerConnection;
  /** Lua's os.time at the timer's zero. */
  readonly epoch: number;
}

/** A program: runs in a process, resolves to its exit status. */
export type Program = (p: Process) => Promise<number>;

export async function out(p: Process, text: string | Uint8Array): Promise<void> {
  await p.fds[1].write(typeof text === 'string' ? enc.encode(text) : text);
}

export async function err(p: Process, text: string): Promise<void> {
  await p.fds[2].write(enc.encode(text));
}

/** All of stdin. */
export async function readAll(s: Stream, limit = 16 * 1024 * 1024): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const b = await s.read(64 * 1024);
    if (b.length === 0) break;
    n += b.length;
    if (n > limit) throw new Error(`input longer than ${limit} bytes`);
    parts.push(b);
  }
  const all = new Uint8Array(n);
  let at = 0;
  for (const b of parts) {
    all.set(b, at);
    at += b.length;
  }
  return all;
}
