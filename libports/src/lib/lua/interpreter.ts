/*
 * Lua 5.4 for components (libports' lua library): the loader's vetted Lua VM
 * (`shared:lua-vm`, base/src/loader/lua_vm.ts) with io, print and os over the libc and
 * the Timer session. Scripts run as coroutines; their requests (prelude.ts) are served
 * here with the asynchronous libc calls:
 *
 *   const lua = await LuaInterpreter.create({ libc, timer, epoch: 1700000000 });
 *   const r = await lua.run(source, '@script.lua', ['arg1']);   // { ok, message?, exitCode? }
 *   await lua.repl(true);
 *
 * Output is bounded: past `maxOutput` bytes written by a script, further writes to
 * stdout/stderr are dropped (one note says so). A script that computes forever is charged
 * to the component's CPU meter by the VM's count hook and stopped as a runaway.
 */
import type { LuaApi, LuaVm, LuaVmHost } from '../../../../base/src/loader/lua_vm.js';
import type { TimerConnection } from '../../../../os/src/session/timer/connection.js';
import { Errno } from '../libc/errno.js';
import { O_APPEND, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_END, SEEK_SET, S_ISDIR } from '../libc/fcntl.js';
import type { Libc } from '../libc/libc.js';
import { PRELUDE } from './prelude.js';

declare const require: (id: string) => unknown;

const LUA_OK = 0;
const LUA_YIELD = 1;
const T_NIL = 0;
const T_BOOLEAN = 1;
const T_NUMBER = 3;
const T_STRING = 4;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Where a script's stdin (0), stdout (1) and stderr (2) go: by default the libc's descriptors 0-2. */
export interface LuaStdio {
  /** Up to `count` bytes; empty at the end. */
  read(fd: number, count: number): Promise<Uint8Array>;
  write(fd: number, data: Uint8Array): Promise<number>;
}

export interface LuaOptions {
  libc: Libc;
  /** The standard streams (the shell runtime gives its process's). */
  stdio?: LuaStdio;
  timer: TimerConnection;
  /** os.time() at the timer's zero (seconds since the epoch): there is no host clock. */
  epoch?: number;
  /** Environment for os.getenv. */
  env?: Record<string, string>;
  /** Most bytes a script may write to stdout and stderr together. */
  maxOutput?: number;
  /** The VM module (tests give the loader's directly; components get it from the loader). */
  vmModule?: { instantiate(host?: LuaVmHost): LuaVm };
}

export interface LuaResult {
  ok: boolean;
  /** The error (with a traceback) when not ok. */
  message?: string;
  /** The code given to os.exit, if the script called it. */
  exitCode?: number;
}

type Value = null | boolean | number | Uint8Array | string;

class ExitRequest {
  constructor(readonly code: number) {}
}

const OPEN_FLAGS: Record<string, number> = {
  r: O_RDONLY, w: O_WRONLY | O_CREAT | O_TRUNC, a: O_WRONLY | O_CREAT | O_APPEND,
  'r+': O_RDWR, 'w+': O_RDWR | O_CREAT | O_TRUNC, 'a+': O_RDWR | O_CREAT | O_APPEND,
};

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory', EACCES: 'Permission denied', EEXIST: 'File exists', EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory', ENOSPC: 'No space left on device', EBADF: 'Bad file descriptor', EINVAL: 'Invalid argument',
  ENOTEMPTY: 'Directory not empty', EPERM: 'Operation not permitted', EROFS: 'Read-only file system', EXDEV: 'Cross-device link',
  ESPIPE: 'Illegal seek', EIO: 'Input/output error', EMFILE: 'Too many open files', ELOOP: 'Too many levels of symbolic links',
};

export class LuaInterpreter {
  private readonly api: LuaApi;
  private readonly L: number;
  private readonly scratch: number;
  private readonly marker: number;
  private output = 0;
  private outputNoted = false;
  private readonly startUs: number;
  readonly maxOutput: number;
  private readonly stdio: LuaStdio;
  /** Lua's file numbers (from 3) to the libc's descriptors. */
  private readonly files = new Map<number, number>();
  private nextFile = 3;

  private constructor(private readonly vm: LuaVm, private readonly opts: LuaOptions, startUs: number) {
    this.api = vm.api;
    this.startUs = startUs;
    this.maxOutput = opts.maxOutput ?? 1024 * 1024;
    this.stdio = opts.stdio ?? { read: (fd, n) => opts.libc.read(fd, n), write: (fd, d) => opts.libc.write(fd, d) };
    this.L = vm.newState();
    this.scratch = this.api.malloc(16);
    /* the prelude runs unhooked by requests: it only defines functions */
    const status = this.load(this.L, PRELUDE, '=prelude');
    if (status !== LUA_OK || this.api.lua_pcallk(this.L, 0, 1, 0, 0, 0) !== LUA_OK) {
      throw new Error(`lua: prelude failed: ${this.toText(this.L, -1)}`);
    }
    this.marker = this.api.luaL_ref(this.L, vm.registryIndex);
  }

  static async create(opts: LuaOptions): Promise<LuaInterpreter> {
    const vmModule = opts.vmModule ?? (require('shared:lua-vm') as { instantiate(host?: LuaVmHost): LuaVm });
    const vm = vmModule.instantiate({});
    return new LuaInterpreter(vm, opts, await opts.timer.session.elapsedUs());
  }

  /** Runs `source` (chunk name `name`, Lua's '@file' or '=name') with `args` as `...` and `arg`. */
  async run(source: string | Uint8Array, name: string, args: readonly string[] = []): Promise<LuaResult> {
    const { api, L } = this;
    /* the output bound is per script */
    this.output = 0;
    this.outputNoted = false;
    const co = api.lua_newthread(L);
    const coRef = api.luaL_ref(L, this.vm.registryIndex);
    try {
      /* the global `arg`, as lua.c sets it */
      api.lua_createtable(co, args.length, 1);
      this.push(co, name.replace(/^[@=]/, ''));
      api.lua_rawseti(co, -2, 0);
      args.forEach((a, i) => {
        this.push(co, a);
        api.lua_rawseti(co, -2, i + 1);
      });
      this.setGlobal(co, 'arg');
      if (this.load(co, source, name) !== LUA_OK) return { ok: false, message: this.toText(co, -1) };
      for (const a of args) this.push(co, a);
      return await this.drive(co, args.length);
    } finally {
      api.luaL_unref(L, this.vm.registryIndex, coRef);
    }
  }

  /** The interactive loop on stdin/stdout until the end of input or os.exit. */
  async repl(echo: boolean): Promise<LuaResult> {
    return this.run(`__repl(${echo ? 'true' : 'false'})`, '=repl');
  }

  private async drive(co: number, nargs: number): Promise<LuaResult> {
    const { api, L } = this;
    for (;;) {
      const status = api.lua_resume(co, L, nargs, this.scratch);
      const nres = new DataView(this.vm.heap().buffer).getInt32(this.scratch, true);
      if (status === LUA_OK) return { ok: true };
      if (status !== LUA_YIELD) {
        const text = this.cstring(this.toText(co, -1));
        api.luaL_traceback(L, co, text, 0);
        api.free(text);
        const message = this.toText(L, -1);
        api.lua_settop(L, -2);
        return { ok: false, message };
      }
      const base = api.lua_gettop(co) - nres;
      api.lua_rawgeti(co, this.vm.registryIndex, this.marker);
      const isRequest = nres >= 2 && api.lua_rawequal(co, base + 1, -1) === 1;
      api.lua_settop(co, -2);
      if (!isRequest) {
        api.lua_settop(co, base);
        return { ok: false, message: 'attempt to yield from outside a coroutine' };
      }
      const vals: Value[] = [];
      for (let i = base + 2; i <= base + nres; i++) vals.push(this.value(co, i));
      api.lua_settop(co, base);
      let results: Value[];
      try {
        results = await this.serve(vals);
      } catch (e) {
        if (e instanceof ExitRequest) return { ok: true, exitCode: e.code };
        throw e;
      }
      if (!api.lua_checkstack(co, results.length + 1)) return { ok: false, message: 'stack overflow in a host request' };
      for (const r of results) this.push(co, r);
      nargs = results.length;
    }
  }

  /** One request of the prelude: the operation's results, or nil, message, errno. */
  private async serve(vals: Value[]): Promise<Value[]> {
    const { libc } = this.opts;
    const op = this.str(vals[0]);
    const arg = (i: number) => vals[i + 1] ?? null;
    try {
      switch (op) {
        case 'write': {
          const fd = this.int(arg(0));
          const data = typeof arg(1) === 'string' ? enc.encode(arg(1) as string) : (arg(1) as Uint8Array | null) ?? new Uint8Array(0);
          if (fd === 1 || fd === 2) return [await this.writeBounded(fd, data)];
          return [await libc.write(this.file(fd), data)];
        }
        case 'read': {
          const fd = this.int(arg(0));
          const n = Math.min(Math.max(this.int(arg(1)), 0), 64 * 1024);
          if (fd === 0) return [await this.stdio.read(0, n)];
          return [await libc.read(this.file(fd), n)];
        }
        case 'open': {
          const path = this.str(arg(0));
          const flags = OPEN_FLAGS[this.str(arg(1)).replace('b', '')];
          if (flags === undefined) return [null, `${path}: invalid mode`, 22];
          try {
            const fd = await libc.open(path, flags);
            this.files.set(this.nextFile, fd);
            return [this.nextFile++];
          } catch (e) {
            return this.failure(e, path);
          }
        }
        case 'close': {
          const fd = this.int(arg(0));
          if (fd > 2) {
            const real = this.file(fd);
            this.files.delete(fd);
            await libc.close(real);
          }
          return [true];
        }
        case 'seek': {
          const whence = { set: SEEK_SET, cur: SEEK_CUR, end: SEEK_END }[this.str(arg(2))];
          if (whence === undefined) return [null, `invalid option '${this.str(arg(2))}'`, 22];
          return [await libc.lseek(this.file(this.int(arg(0))), this.int(arg(1)), whence)];
        }
        case 'remove': {
          const path = this.str(arg(0));
          try {
            if (S_ISDIR((await libc.lstat(path)).mode)) await libc.rmdir(path);
            else await libc.unlink(path);
            return [true];
          } catch (e) {
            return this.failure(e, path);
          }
        }
        case 'rename': {
          const from = this.str(arg(0));
          try {
            await libc.rename(from, this.str(arg(1)));
            return [true];
          } catch (e) {
            return this.failure(e, from);
          }
        }
        case 'time':
          return [(this.opts.epoch ?? 0) + Math.floor((await this.opts.timer.session.elapsedMs()) / 1000)];
        case 'clock':
          return [((await this.opts.timer.session.elapsedUs()) - this.startUs) / 1e6];
        case 'getenv': {
          const v = this.opts.env?.[this.str(arg(0))];
          return [v === undefined ? null : v];
        }
        case 'exit':
          throw new ExitRequest(this.int(arg(0)));
        default:
          return [null, `unknown request ${op}`, 22];
      }
    } catch (e) {
      if (e instanceof ExitRequest) throw e;
      return this.failure(e, '');
    }
  }

  /** The libc descriptor of Lua's file `fd`. */
  private file(fd: number): number {
    const real = this.files.get(fd);
    if (real === undefined) throw new Errno('EBADF', `file ${fd} is not open`);
    return real;
  }

  /** Ends the Lua state (the VM's memory goes with the interpreter). */
  close(): void {
    this.api.lua_close(this.L);
    this.vm.close();
  }

  /** Closes the files a script left open. */
  async closeFiles(): Promise<void> {
    for (const fd of this.files.values()) await this.opts.libc.close(fd).catch(() => undefined);
    this.files.clear();
  }

  private failure(e: unknown, what: string): Value[] {
    if (e instanceof Errno) return [null, `${what ? `${what}: ` : ''}${STRERROR[e.code] ?? e.code}`, e.errno];
    return [null, `${what ? `${what}: ` : ''}${e instanceof Error ? e.message : String(e)}`, 5];
  }

  private async writeBounded(fd: number, data: Uint8Array): Promise<number> {
    const room = this.maxOutput - this.output;
    if (room <= 0) {
      if (!this.outputNoted) {
        this.outputNoted = true;
        await this.stdio.write(2, enc.encode(`lua: output limit of ${this.maxOutput} bytes reached, further output dropped\n`));
      }
      return data.length;
    }
    const part = data.length > room ? data.subarray(0, room) : data;
    this.output += part.length;
    if (part.length > 0) await this.stdio.write(fd, part);
    return data.length;
  }

  private int(v: Value): number {
    const n = typeof v === 'number' ? v : Number(typeof v === 'string' ? v : v instanceof Uint8Array ? dec.decode(v) : NaN);
    if (!Number.isSafeInteger(n)) throw new Errno('EINVAL', `not an integer: ${String(v)}`);
    return n;
  }

  private str(v: Value): string {
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return dec.decode(v);
    if (typeof v === 'number') return String(v);
    throw new Errno('EINVAL', `not a string: ${String(v)}`);
  }

  /** The value at `idx` of thread `co` (strings as bytes: Lua strings are binary). */
  private value(co: number, idx: number): Value {
    const { api } = this;
    switch (api.lua_type(co, idx)) {
      case T_NIL: return null;
      case T_BOOLEAN: return api.lua_toboolean(co, idx) !== 0;
      case T_NUMBER: return api.lua_isinteger(co, idx) ? api.lua_tointegerx(co, idx, 0) : api.lua_tonumberx(co, idx, 0);
      case T_STRING: {
        const p = api.lua_tolstring(co, idx, this.scratch + 8);
        const len = new DataView(this.vm.heap().buffer).getUint32(this.scratch + 8, true);
        return this.vm.heap().slice(p, p + len);
      }
      default: return null;
    }
  }

  private push(co: number, v: Value): void {
    const { api } = this;
    if (v === null) api.lua_pushnil(co);
    else if (typeof v === 'boolean') api.lua_pushboolean(co, v ? 1 : 0);
    else if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) api.lua_pushinteger(co, v);
      else api.lua_pushnumber(co, v);
    } else {
      const bytes = typeof v === 'string' ? enc.encode(v) : v;
      const p = api.malloc(bytes.length + 1);
      if (p === 0) throw new Error('lua: out of memory');
      this.vm.heap().set(bytes, p);
      api.lua_pushlstring(co, p, bytes.length);
      api.free(p);
    }
  }

  private setGlobal(co: number, name: string): void {
    const p = this.cstring(name);
    this.api.lua_setglobal(co, p);
    this.api.free(p);
  }

  /** A NUL-terminated copy of `text` in the VM's memory (the caller frees it, or leaves it to the state). */
  private cstring(text: string): number {
    const b = enc.encode(`${text.replace(/\0/g, '')}\0`);
    const p = this.api.malloc(b.length);
    if (p === 0) throw new Error('lua: out of memory');
    this.vm.heap().set(b, p);
    return p;
  }

  private load(co: number, source: string | Uint8Array, name: string): number {
    const bytes = typeof source === 'string' ? enc.encode(source) : source;
    const buf = this.api.malloc(bytes.length + 1);
    if (buf === 0) throw new Error('lua: out of memory for the chunk');
    this.vm.heap().set(bytes, buf);
    const n = this.cstring(name);
    const mode = this.cstring('t');
    const status = this.api.luaL_loadbufferx(co, buf, bytes.length, n, mode);
    this.api.free(buf);
    this.api.free(n);
    this.api.free(mode);
    return status;
  }

  private toText(co: number, idx: number): string {
    const v = this.value(co, idx);
    if (v instanceof Uint8Array) return dec.decode(v);
    return v === null ? '(error object is not a string)' : String(v);
  }
}
