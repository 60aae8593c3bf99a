/*
 * Who pays for what the vfs server stores (Genode's vfs server charges a session's
 * donation for its handles; we also charge the nodes and file bytes it stores, so one
 * client cannot fill the server's memory at the others' expense).
 *
 * Per VFS path the ledger keeps the node's creation cost (charged to the session that made
 * it) and the bytes of its content (charged to the sessions whose writes grew it). Unlink
 * gives both back, a shrinking truncate gives bytes back, a move carries the charges (of a
 * directory's whole subtree) to the new path. When a session closes, its charges are
 * dropped: its donation goes back to its client, and the nodes it left behind remain the
 * server's (bounded by the file system's own capacity, e.g. <ram capacity="..."/>).
 */
import type { QuotaGuard } from '../../../../base/src/lib/quota_guard.js';

export interface Account {
  readonly label: string;
  readonly ram: QuotaGuard;
}

interface Entry {
  node: Map<Account, number>;
  bytes: Map<Account, number>;
}

function sum(m: Map<Account, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

export class StorageLedger {
  private readonly entries = new Map<string, Entry>();

  private entry(path: string): Entry {
    let e = this.entries.get(path);
    if (!e) {
      e = { node: new Map(), bytes: new Map() };
      this.entries.set(path, e);
    }
    return e;
  }

  /**
   * Charges `n` bytes to `a` for `path` (OutOfRam, unchanged, if the donation does not cover
   * it). Returns the undo: it gives back `back` bytes of this charge (all by default), as
   * far as they are still charged there.
   */
  charge(a: Account, path: string, kind: 'node' | 'bytes', n: number): (back?: number) => void {
    if (n <= 0) return () => {};
    a.ram.withdraw(n);
    const e = this.entry(path);
    e[kind].set(a, (e[kind].get(a) ?? 0) + n);
    let left = n;
    return (back = left) => {
      const cur = this.entries.get(path);
      const m = cur?.[kind];
      const have = m?.get(a) ?? 0;
      const give = Math.min(back, left, have);
      if (give <= 0 || !cur || !m) return;
      left -= give;
      a.ram.replenish(give);
      if (give === have) m.delete(a);
      else m.set(a, have - give);
      if (cur.node.size === 0 && cur.bytes.size === 0) this.entries.delete(path);
    };
  }

  /** Bytes of content charged for `path`. */
  bytesCharged(path: string): number {
    const e = this.entries.get(path);
    return e ? sum(e.bytes) : 0;
  }

  /** Gives back content charges of `path` beyond `size` bytes (a file shrank). */
  shrink(path: string, size: number): void {
    const e = this.entries.get(path);
    if (!e) return;
    let excess = sum(e.bytes) - size;
    for (const [a, n] of [...e.bytes].reverse()) {
      if (excess <= 0) break;
      const back = Math.min(n, excess);
      a.ram.replenish(back);
      excess -= back;
      if (back === n) e.bytes.delete(a);
      else e.bytes.set(a, n - back);
    }
  }

  /** Gives back everything charged for `path` (it was removed). */
  release(path: string): void {
    const e = this.entries.get(path);
    if (!e) return;
    for (const m of [e.node, e.bytes]) for (const [a, n] of m) a.ram.replenish(n);
    this.entries.delete(path);
  }

  /** `from` (and everything below it) is now at `to`; what was at `to` before was replaced. */
  move(from: string, to: string): void {
    if (from === to) return;
    this.release(to);
    for (const [p, e] of [...this.entries]) {
      if (p !== from && !p.startsWith(`${from}/`)) continue;
      this.entries.delete(p);
      this.entries.set(to + p.slice(from.length), e);
    }
  }

  /** A session closed: its charges end (see above). */
  drop(a: Account): void {
    for (const [p, e] of this.entries) {
      e.node.delete(a);
      e.bytes.delete(a);
      if (e.node.size === 0 && e.bytes.size === 0) this.entries.delete(p);
    }
  }
}
