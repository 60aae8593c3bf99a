/*
 * Marshalling of RPC arguments and results into a message buffer of 32-bit words.
 *
 * Every type writes a fixed layout: integers as two words (low, high), booleans as one,
 * strings and byte buffers as a byte count followed by the bytes padded to words, and
 * capabilities as an index into the message's capability list (the kernel translates
 * those as typed items). Readers check every length against the message they got, so a
 * malformed or hostile message is refused with an error, never read out of bounds.
 *
 * A capability argument is lent to the server for the duration of the call (`cap`): the
 * RPC layer releases it once the reply is out. One the server keeps (a signal handler, a
 * root) is declared `keptCap`: the server then owns that reference and releases it when
 * it drops the capability.
 */
import { Capability } from '../capability.js';
import { IpcError, MessageOverflow, BadArgument } from '../errors.js';
import type { MsgBuffer } from './msgbuf.js';
import { utf8Length } from '../util/utf8.js';

export interface RpcType<T> {
  readonly name: string;
  write(w: MsgWriter, value: T): void;
  read(r: MsgReader): T;
}

const INVALID_CAP_INDEX = 0xffffffff;
const TWO32 = 0x1_0000_0000;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class MsgWriter {
  /** Describes the message for error texts, e.g. "LOG.write"; see `what`. */
  private whatText = '';
  /** 1-based argument being written, 0 for none (kept as a number: no string per call). */
  arg = 0;

  get what(): string {
    return this.arg > 0 ? `${this.whatText} argument ${this.arg}` : this.whatText;
  }

  set what(text: string) {
    this.whatText = text;
    this.arg = 0;
  }

  constructor(public msg: MsgBuffer) {}

  /** Points this writer at another message (hot paths reuse one writer: no allocation per call). */
  reset(msg: MsgBuffer, what: string): this {
    this.msg = msg;
    this.whatText = what;
    this.arg = 0;
    return this;
  }

  private overflow(extra: string): never {
    throw new MessageOverflow(`message of ${this.what} does not fit into the ${this.msg.words.length}-word message buffer (${extra})`);
  }

  word(v: number): void {
    const m = this.msg;
    if (m.length >= m.words.length) this.overflow(`word ${m.length + 1}`);
    m.words[m.length++] = v;
  }

  int(v: number): void {
    this.word(v >>> 0);
    this.word(Math.floor(v / TWO32) | 0);
  }

  /** A byte count followed by the bytes; `fill` writes them into the given view. */
  sized(count: number, fill: (dst: Uint8Array) => number): void {
    const m = this.msg;
    const needed = 1 + Math.ceil(count / 4);
    if (m.length + needed > m.words.length) this.overflow(`${count} bytes of data`);
    const start = (m.length + 1) * 4;
    const written = fill(m.bytes.subarray(start, start + count));
    m.words[m.length] = written;
    m.length += 1 + Math.ceil(written / 4);
  }

  cap(c: Capability<unknown>): void {
    const m = this.msg;
    if (!c.native) return this.word(INVALID_CAP_INDEX);
    if (m.caps.length >= m.maxCaps) this.overflow(`more than ${m.maxCaps} capabilities`);
    m.caps.push(c.native);
    this.word(m.caps.length - 1);
  }
}

export class MsgReader {
  pos = 0;
  /** Bit i: capability i of the message was read as one the receiver keeps (`keptCap`). */
  kept = 0;
  /** Bit i: capability i of the message was read at all. */
  used = 0;
  /** Words that may be read: the message's length, never beyond its buffer. */
  private end = 0;

  constructor(public msg: MsgBuffer) {
    this.end = MsgReader.limit(msg);
  }

  private static limit(msg: MsgBuffer | undefined): number {
    if (!msg) return 0;
    const n = msg.length;
    return Number.isInteger(n) && n > 0 ? Math.min(n, msg.words.length) : 0;
  }

  /** Points this reader at the start of another message (hot paths reuse one reader). */
  reset(msg: MsgBuffer): this {
    this.msg = msg;
    this.pos = 0;
    this.kept = 0;
    this.used = 0;
    this.end = MsgReader.limit(msg);
    return this;
  }

  private malformed(what: string): never {
    throw new IpcError(`malformed message: ${what} at word ${this.pos} of ${this.end}`);
  }

  word(): number {
    if (this.pos >= this.end) this.malformed('message too short');
    return this.msg.words[this.pos++]!;
  }

  int(): number {
    const lo = this.word();
    const hi = this.word() | 0;
    return hi * TWO32 + lo;
  }

  sized(max: number): Uint8Array {
    const count = this.word();
    if (count > max) this.malformed(`length ${count} exceeds the declared maximum ${max}`);
    const nwords = Math.ceil(count / 4);
    if (this.pos + nwords > this.end) this.malformed(`length ${count} exceeds the message`);
    const start = this.pos * 4;
    this.pos += nwords;
    return this.msg.bytes.subarray(start, start + count);
  }

  cap(keep = false): Capability<unknown> {
    const idx = this.word();
    if (idx === INVALID_CAP_INDEX) return Capability.invalid();
    if (idx >= this.msg.caps.length) this.malformed(`capability index ${idx} of ${this.msg.caps.length}`);
    if (idx < 31) {
      this.used |= 1 << idx;
      if (keep) this.kept |= 1 << idx;
    }
    return new Capability(this.msg.caps[idx]);
  }
}

function checkInt(v: unknown, w: MsgWriter): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new BadArgument(`${w.what}: expected an integer, got ${String(v)}`);
  }
  return v;
}

/** A safe integer (up to 2^53), sent as two words. */
export const int: RpcType<number> = {
  name: 'int',
  write: (w, v) => w.int(checkInt(v, w)),
  read: (r) => r.int(),
};

export const bool: RpcType<boolean> = {
  name: 'bool',
  write: (w, v) => {
    if (typeof v !== 'boolean') throw new BadArgument(`${w.what}: expected a boolean, got ${String(v)}`);
    w.word(v ? 1 : 0);
  },
  read: (r) => {
    const v = r.word();
    if (v > 1) throw new IpcError(`malformed message: boolean word ${v}`);
    return v === 1;
  },
};

/** A UTF-8 string of at most `max` bytes (the interface states the bound, as Genode's LOG session does). */
export function str(max: number): RpcType<string> {
  return {
    name: `str(${max})`,
    write: (w, v) => {
      if (typeof v !== 'string') throw new BadArgument(`${w.what}: expected a string, got ${typeof v}`);
      const len = utf8Length(v);
      if (len > max) throw new MessageOverflow(`${w.what}: string of ${len} bytes exceeds its declared maximum of ${max}`);
      w.sized(len, (dst) => encoder.encodeInto(v, dst).written);
    },
    read: (r) => {
      const b = r.sized(max);
      try {
        return decoder.decode(b.buffer instanceof ArrayBuffer ? b : b.slice());
      } catch {
        throw new IpcError('malformed message: string is not valid UTF-8');
      }
    },
  };
}

/** A byte buffer of at most `max` bytes, copied into the message. */
export function bytes(max: number): RpcType<Uint8Array> {
  return {
    name: `bytes(${max})`,
    write: (w, v) => {
      if (!(v instanceof Uint8Array)) throw new BadArgument(`${w.what}: expected a Uint8Array`);
      if (v.length > max) throw new MessageOverflow(`${w.what}: buffer of ${v.length} bytes exceeds its declared maximum of ${max}`);
      w.sized(v.length, (dst) => (dst.set(v), v.length));
    },
    read: (r) => r.sized(max).slice(),
  };
}

function writeCap(w: MsgWriter, v: Capability<any>): void {
  if (!(v instanceof Capability)) throw new BadArgument(`${w.what}: expected a Capability`);
  w.cap(v);
}

/**
 * A capability, transferred as a typed item that the kernel translates for the receiver.
 * As an argument it is lent for the call; as a result the client owns it.
 */
export const cap: RpcType<Capability<any>> = { name: 'cap', write: writeCap, read: (r) => r.cap() };

/** A capability argument the server keeps after the call (and releases when it drops it). */
export const keptCap: RpcType<Capability<any>> = { name: 'keptCap', write: writeCap, read: (r) => r.cap(true) };

/** No value (a void result). */
export const none: RpcType<void> = { name: 'void', write: () => {}, read: () => undefined };

/** A record of named fields, written in declaration order. */
export function struct<T extends object>(fields: { [K in keyof T]: RpcType<T[K]> }): RpcType<T> {
  const entries = Object.entries(fields) as Array<[keyof T & string, RpcType<unknown>]>;
  return {
    name: `{${entries.map(([k, t]) => `${k}: ${t.name}`).join(', ')}}`,
    write: (w, v) => {
      if (typeof v !== 'object' || v === null) throw new BadArgument(`${w.what}: expected a record`);
      for (const [k, t] of entries) t.write(w, (v as Record<string, unknown>)[k]);
    },
    read: (r) => {
      const out: Record<string, unknown> = {};
      for (const [k, t] of entries) out[k] = t.read(r);
      return out as T;
    },
  };
}

/** A list of at most `max` elements. */
export function list<T>(elem: RpcType<T>, max: number): RpcType<T[]> {
  return {
    name: `list(${elem.name}, ${max})`,
    write: (w, v) => {
      if (!Array.isArray(v)) throw new BadArgument(`${w.what}: expected an array`);
      if (v.length > max) throw new MessageOverflow(`${w.what}: list of ${v.length} exceeds its declared maximum of ${max}`);
      w.word(v.length);
      for (const e of v) elem.write(w, e);
    },
    read: (r) => {
      const n = r.word();
      if (n > max) throw new IpcError(`malformed message: list of ${n} exceeds ${max}`);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(elem.read(r));
      return out;
    },
  };
}
