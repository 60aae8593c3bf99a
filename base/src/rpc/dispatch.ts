/*
 * The server side of RPC: decode the request in the entrypoint thread's message buffer,
 * call the object's function, and write the reply into the same buffer.
 */
import { GenodeError } from '../errors.js';
import type { RpcFunction, RpcInterfaceInfo } from './interface.js';
import { resetMsg, type MsgBuffer } from './msgbuf.js';
import { ReplyCode, EXCEPTION_NAME_MAX, EXCEPTION_TEXT_MAX } from './protocol.js';
import { MsgReader, MsgWriter, str } from './types.js';
import { utf8Length } from '../util/utf8.js';

const NO_ARGS: unknown[] = [];

/* decoding and encoding are synchronous and never nested: one reader and writer serve all */
const reader = new MsgReader(undefined as unknown as MsgBuffer);
const writer = new MsgWriter(undefined as unknown as MsgBuffer);

const excName = str(EXCEPTION_NAME_MAX);
const excText = str(EXCEPTION_TEXT_MAX);

function clip(text: string): string {
  /* keep the reply within the smallest kernel's message registers */
  let out = text;
  while (utf8Length(out) > EXCEPTION_TEXT_MAX) out = out.slice(0, out.length - 8);
  return out;
}

function replyError(msg: MsgBuffer, code: ReplyCode, name: string, text: string): void {
  resetMsg(msg);
  const w = new MsgWriter(msg);
  w.what = 'reply';
  w.word(code);
  if (code === ReplyCode.EXCEPTION) excName.write(w, name.slice(0, EXCEPTION_NAME_MAX));
  excText.write(w, clip(text));
}

/** Reports errors that a server function raised without declaring them. */
export type UndeclaredErrorReport = (what: string, error: unknown) => void;

/**
 * Handles one request for `obj` (`methods`: its functions by opcode, looked up once by the
 * entrypoint); calls `done` (or resolves the returned promise) once the
 * reply is in `msg`. Never throws: every failure becomes an error reply, so a
 * bad request or a buggy function cannot take the entrypoint down.
 */
export function dispatch(
  info: RpcInterfaceInfo,
  obj: Record<string, unknown>,
  msg: MsgBuffer,
  report: UndeclaredErrorReport,
  done?: () => void,
  methods?: ReadonlyArray<unknown>,
): Promise<void> | undefined {
  let fn: RpcFunction | undefined;
  let args: unknown[];
  try {
    /* a request that cannot be decoded is the caller's fault: it gets an error, the server no report */
    const r = reader.reset(msg);
    const opcode = r.word();
    fn = info.functions[opcode];
    if (!fn) throw new GenodeError(`${info.name} has no function with opcode ${opcode}`);
    const n = fn.args.length;
    args = n === 0 ? NO_ARGS : new Array<unknown>(n);
    for (let i = 0; i < n; i++) args[i] = fn.args[i]!.read(r);
  } catch (e) {
    replyError(msg, ReplyCode.ERROR, '', `${fn?.what ?? info.name}: ${(e as Error).message}`);
    return finished(done);
  }
  let pending: unknown;
  try {
    const method = methods?.[fn.opcode] ?? obj[fn.name];
    if (typeof method !== 'function') throw new GenodeError(`${fn.what} is not implemented by the server`);
    pending = method.apply(obj, args);
  } catch (e) {
    replyFailure(msg, fn, report, e);
    return finished(done);
  }
  if (pending instanceof Promise) {
    const f = fn;
    /* with a completion callback the reply goes out from the same microtask: no extra hop */
    if (done) {
      pending.then((r) => { replyResult(msg, f, report, r); done(); }, (e) => { replyFailure(msg, f, report, e); done(); });
      return undefined;
    }
    return pending.then((r) => replyResult(msg, f, report, r), (e) => replyFailure(msg, f, report, e));
  }
  /* answered right away: no closure, no promise */
  replyResult(msg, fn, report, pending);
  return finished(done);
}

function replyResult(msg: MsgBuffer, fn: RpcFunction, report: UndeclaredErrorReport, result: unknown): void {
  resetMsg(msg);
  const w = writer.reset(msg, fn.what);
  try {
    w.word(ReplyCode.OK);
    fn.result.write(w, result);
  } catch (e) {
    report(fn.what, e);
    replyError(msg, ReplyCode.ERROR, '', `server could not marshal the result: ${(e as Error).message}`);
  }
}

/** A declared exception crosses to the caller; anything else is reported here and becomes an error. */
function replyFailure(msg: MsgBuffer, fn: RpcFunction, report: UndeclaredErrorReport, e: unknown): void {
  const err = e as Error;
  if (e instanceof GenodeError && fn.throws.has(err.name)) {
    replyError(msg, ReplyCode.EXCEPTION, err.name, err.message);
  } else {
    report(fn.what, e);
    replyError(msg, ReplyCode.ERROR, '', `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`);
  }
}

function finished(done: (() => void) | undefined): Promise<void> | undefined {
  if (!done) return Promise.resolve();
  done();
  return undefined;
}
