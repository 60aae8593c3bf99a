/*
 * The Lua virtual machine as a loader-provided module (`require('shared:lua-vm')`).
 *
 * Components get no `WebAssembly`: code compiled from arbitrary bytes would run outside
 * the CPU meter. Instead the loader offers one vetted WebAssembly module, Lua 5.4 as
 * compiled by wasmoon (node_modules/wasmoon/dist/glue.wasm), compiled once per process.
 * Each component that asks gets its own instances of it, each with its own linear memory:
 *
 * - The loader supplies every import of the module itself (the C library's system calls).
 *   The C side's files are empty: opening any file fails with ENOENT, reads see the end,
 *   writes to stdout/stderr go to the component's `output` callback, time comes from its
 *   `now` callback. A component builds `io`, `os` and `print` on top of that (libports'
 *   lua library does it over its libc); the VM itself reaches nothing of the host.
 * - Every Lua state runs with a count hook the loader installs at creation: every
 *   HOOK_EVERY VM instructions it charges TICKS_PER_HOOK ticks to the component's CPU
 *   meter, so a looping script is a runaway like a looping component (stopped after its
 *   budget, cpu_meter.ts). `debug.sethook` is removed and `lua_sethook` is not exported,
 *   so neither a script nor the component can take the hook off.
 * - Linear memory grows to at most MAX_MEMORY; beyond, allocations fail (Lua: "not enough
 *   memory").
 *
 * Limit: work inside one C function of the VM (a pattern match, string.rep, table.sort
 * without a Lua comparator) is not hooked; it is bounded by the input sizes memory allows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/* The host's WebAssembly (the project's TypeScript libs do not declare it). */
declare namespace WebAssembly {
  class Module { constructor(bytes: Uint8Array) }
  class Instance { constructor(m: Module, imports: object); readonly exports: Record<string, any> }
  interface Memory { readonly buffer: ArrayBuffer; grow(pages: number): number }
  interface Table { get(i: number): any; set(i: number, f: unknown): void; grow(n: number): number }
}

/** VM instructions between two hook calls. */
export const HOOK_EVERY = 1000;
/** Ticks (of CYCLES_PER_TICK cycles each) charged per HOOK_EVERY instructions: 10 cycles each. */
export const TICKS_PER_HOOK = 500;
/** Most bytes of linear memory one VM instance may have. */
export const MAX_MEMORY = 64 * 1024 * 1024;
/** Most VM instances one component may have open at once (their memory is the host's). */
export const MAX_VMS = 8;

const LUA_MASKCOUNT = 8;
const LUA_REGISTRYINDEX = -1000000 - 1000;
/* musl errno values as emscripten uses them */
const ENOENT = 44;
const EBADF = 8;
const ENOSYS = 52;

/* A module of one function: it re-exports its imported (i32, i32) -> () function, so a host function can sit in the VM's function table. */
const HOOK_WRAPPER = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00,
  0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x0b,
);

let modules: { glue: WebAssembly.Module; hook: WebAssembly.Module } | undefined;

function compiled(): { glue: WebAssembly.Module; hook: WebAssembly.Module } {
  if (!modules) {
    const path = createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm');
    modules = { glue: new WebAssembly.Module(readFileSync(path)), hook: new WebAssembly.Module(HOOK_WRAPPER) };
  }
  return modules;
}

/** What the component hands the VM: where its C-level output goes, and the time. */
export interface LuaVmHost {
  /** Bytes the C library writes to fd 1 or 2 (print before the component replaced it, warnings). */
  output?: (fd: number, bytes: Uint8Array) => void;
  /** Milliseconds since the epoch, for the C library's time(). */
  now?: () => number;
}

/** The Lua C API functions a component may call (all but the hook and raw loaders of C code). */
export const LUA_API = [
  'malloc', 'free', 'lua_close', 'lua_newthread', 'lua_resetthread', 'lua_resume', 'lua_status', 'lua_settop',
  'lua_gettop', 'lua_type', 'lua_typename', 'lua_tolstring', 'lua_tonumberx', 'lua_tointegerx', 'lua_toboolean',
  'lua_isinteger', 'lua_isstring', 'lua_pushlstring', 'lua_pushnumber', 'lua_pushinteger', 'lua_pushnil',
  'lua_pushboolean', 'lua_pushvalue', 'lua_rotate', 'lua_checkstack', 'lua_getglobal', 'lua_setglobal',
  'lua_getfield', 'lua_setfield', 'lua_rawgeti', 'lua_rawseti', 'lua_rawequal', 'lua_rawlen', 'lua_createtable',
  'luaL_loadbufferx', 'lua_pcallk', 'lua_xmove', 'luaL_ref', 'luaL_unref', 'luaL_traceback', 'luaL_tolstring',
] as const;
export type LuaApi = { readonly [K in (typeof LUA_API)[number]]: (...args: number[]) => number };

export interface LuaVm {
  readonly api: LuaApi;
  /** A view of the VM's linear memory as it is now (it may move when memory grows). */
  heap(): Uint8Array;
  /** A new Lua state with the standard libraries (without debug.sethook) and the loader's hook. */
  newState(): number;
  readonly registryIndex: number;
  /** Gives the instance up: its memory goes, every further call throws. */
  close(): void;
}

class LuaExit extends Error {
  override name = 'LuaExit';
}

/** The module `shared:lua-vm` for one component instance, charging `charge` for Lua's instructions. */
export function luaVmModule(charge: (ticks: number) => void): { instantiate(host?: LuaVmHost): LuaVm } {
  let open = 0;
  return {
    instantiate(host: LuaVmHost = {}): LuaVm {
      if (open >= MAX_VMS) throw new RangeError(`lua vm: more than ${MAX_VMS} VM instances open in this component (close one first)`);
      const { glue, hook } = compiled();
      let exports!: Record<string, any>;
      let closed = false;
      const mem = (): WebAssembly.Memory => exports.memory as WebAssembly.Memory;
      const u32 = (p: number): number => new DataView(mem().buffer).getUint32(p, true);
      const setU32 = (p: number, v: number): void => new DataView(mem().buffer).setUint32(p, v, true);
      const setI32 = (p: number, v: number): void => new DataView(mem().buffer).setInt32(p, v, true);
      const cstr = (p: number): string => {
        const h = new Uint8Array(mem().buffer);
        let e = p;
        while (h[e] !== 0 && e < h.length) e++;
        return new TextDecoder().decode(h.subarray(p, e));
      };
      const tm = (t: bigint | number, at: number): void => {
        const d = new Date(Number(t) * 1000);
        const f = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth(), d.getUTCFullYear() - 1900, d.getUTCDay(),
          Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 864e5), 0, 0, 0];
        f.forEach((v, i) => setI32(at + 4 * i, Number.isFinite(v) ? v : 0));
      };
      const env = {
        abort: () => { throw new Error('lua vm: abort'); },
        invoke_vii: (index: number, a: number, b: number) => {
          /* emscripten's setjmp/longjmp: Lua's error handling */
          const sp = exports.stackSave();
          try {
            (exports.__indirect_function_table as WebAssembly.Table).get(index)(a, b);
          } catch (e) {
            exports.stackRestore(sp);
            if (e !== Infinity) throw e;
            exports.setThrew(1, 0);
          }
        },
        _emscripten_throw_longjmp: () => { throw Infinity; },
        strftime: (s: number, max: number, fmt: number, t: number) => {
          const v = (i: number) => new DataView(mem().buffer).getInt32(t + 4 * i, true);
          const d = new Date(Date.UTC(v(5) + 1900, v(4), v(3), v(2), v(1), v(0)));
          const p2 = (n: number) => String(n).padStart(2, '0');
          const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
          const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
          const date = `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`;
          const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
          const conv: Record<string, string> = {
            Y: String(d.getUTCFullYear()), y: p2(d.getUTCFullYear() % 100), m: p2(d.getUTCMonth() + 1), d: p2(d.getUTCDate()),
            H: p2(d.getUTCHours()), M: p2(d.getUTCMinutes()), S: p2(d.getUTCSeconds()), a: days[d.getUTCDay()]!,
            b: months[d.getUTCMonth()]!, j: String(v(7) + 1).padStart(3, '0'), p: d.getUTCHours() < 12 ? 'AM' : 'PM',
            x: date, X: time, c: `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${time} ${d.getUTCFullYear()}`,
            Z: 'GMT', z: '+0000', '%': '%',
          };
          const out = new TextEncoder().encode(cstr(fmt).replace(/%[EO]?(.)/g, (_, c: string) => conv[c] ?? ''));
          if (out.length >= max) return 0;
          new Uint8Array(mem().buffer).set(out, s);
          new Uint8Array(mem().buffer)[s + out.length] = 0;
          return out.length;
        },
        system: (cmd: number) => (cmd === 0 ? 0 : -1),
        exit: (code: number) => { throw new LuaExit(`lua vm: exit(${code})`); },
        emscripten_date_now: () => host.now?.() ?? 0,
        _emscripten_get_now_is_monotonic: () => 1,
        __syscall_openat: () => -ENOENT,
        __syscall_fcntl64: () => -EBADF,
        __syscall_ioctl: () => -ENOSYS,
        __syscall_dup3: () => -ENOSYS,
        _mktime_js: (at: number) => {
          const v = (i: number) => new DataView(mem().buffer).getInt32(at + 4 * i, true);
          const ms = Date.UTC(v(5) + 1900, v(4), v(3), v(2), v(1), v(0));
          if (!Number.isFinite(ms)) return BigInt(-1);
          tm(ms / 1000, at);
          return BigInt(Math.floor(ms / 1000));
        },
        _localtime_js: tm,
        _gmtime_js: tm,
        __syscall_unlinkat: () => -ENOENT,
        __syscall_rmdir: () => -ENOENT,
        __syscall_renameat: () => -ENOENT,
        __syscall_readlinkat: () => -ENOENT,
        _tzset_js: (timezone: number, daylight: number, names: number) => {
          setU32(timezone, 0);
          setI32(daylight, 0);
          const gmt = exports.malloc(4) as number;
          new Uint8Array(mem().buffer).set([0x47, 0x4d, 0x54, 0], gmt);
          setU32(names, gmt);
          setU32(names + 4, gmt);
        },
        emscripten_resize_heap: (want: number) => {
          want >>>= 0;
          const have = mem().buffer.byteLength;
          if (want > MAX_MEMORY) return 0;
          const target = Math.min(MAX_MEMORY, Math.max(want, have * 2));
          try {
            mem().grow(Math.ceil((target - have) / 65536));
            return 1;
          } catch {
            return 0;
          }
        },
      };
      const wasi = {
        fd_write: (fd: number, iov: number, iovcnt: number, written: number) => {
          let n = 0;
          for (let i = 0; i < iovcnt; i++) {
            const p = u32(iov + 8 * i);
            const len = u32(iov + 8 * i + 4);
            if ((fd === 1 || fd === 2) && len > 0) host.output?.(fd, new Uint8Array(mem().buffer).slice(p, p + len));
            n += len;
          }
          setU32(written, n);
          return fd === 1 || fd === 2 ? 0 : EBADF;
        },
        fd_read: (_fd: number, _iov: number, _iovcnt: number, read: number) => {
          setU32(read, 0);
          return 0;
        },
        fd_close: () => 0,
        fd_seek: () => 70 /* ESPIPE */,
        environ_sizes_get: (count: number, size: number) => {
          setU32(count, 0);
          setU32(size, 0);
          return 0;
        },
        environ_get: () => 0,
      };
      const instance = new WebAssembly.Instance(glue, { env, wasi_snapshot_preview1: wasi });
      exports = instance.exports as Record<string, any>;
      open++;
      exports.emscripten_stack_init();
      exports.__wasm_call_ctors();
      const table = exports.__indirect_function_table as WebAssembly.Table;
      const hookFn = new WebAssembly.Instance(hook, { m: { f: () => charge(TICKS_PER_HOOK) } }).exports.f;
      const hookIndex = table.grow(1);
      table.set(hookIndex, hookFn);
      const api: Record<string, (...a: number[]) => number> = {};
      for (const name of LUA_API) {
        api[name] = (...a: number[]) => exports[name](...a.map((x) => Number(x) | 0));
      }
      api.lua_pushnumber = (L: number, n: number) => exports.lua_pushnumber(L | 0, Number(n));
      api.lua_pushinteger = (L: number, n: number) => exports.lua_pushinteger(L | 0, BigInt(Math.trunc(Number(n)) || 0));
      /* lua_Integer arguments and results are i64 (BigInt) at the wasm boundary */
      api.lua_rawgeti = (L: number, i: number, n: number) => exports.lua_rawgeti(L | 0, i | 0, BigInt(Math.trunc(Number(n)) || 0));
      api.lua_rawseti = (L: number, i: number, n: number) => exports.lua_rawseti(L | 0, i | 0, BigInt(Math.trunc(Number(n)) || 0));
      api.lua_tointegerx = (L: number, i: number, isnum: number) => Number(exports.lua_tointegerx(L | 0, i | 0, isnum | 0));
      const field = (L: number, name: string): number => {
        const b = new TextEncoder().encode(`${name}\0`);
        const p = exports.malloc(b.length) as number;
        new Uint8Array(mem().buffer).set(b, p);
        return p;
      };
      const live = (): void => {
        if (closed) throw new Error('lua vm: used after close');
      };
      for (const [name, f] of Object.entries(api)) {
        api[name] = (...a: number[]) => {
          live();
          return f(...a);
        };
      }
      return Object.freeze({
        close: () => {
          if (closed) return;
          closed = true;
          open--;
          /* nothing of the instance stays reachable from the component */
          exports = {};
        },
        api: Object.freeze(api) as LuaApi,
        heap: () => {
          live();
          return new Uint8Array(mem().buffer);
        },
        registryIndex: LUA_REGISTRYINDEX,
        newState: (): number => {
          live();
          const L = exports.luaL_newstate() as number;
          if (L === 0) throw new Error('lua vm: no memory for a new state');
          exports.luaL_openlibs(L);
          const debug = field(L, 'debug');
          const sethook = field(L, 'sethook');
          exports.lua_getglobal(L, debug);
          exports.lua_pushnil(L);
          exports.lua_setfield(L, -2, sethook);
          exports.lua_settop(L, -2);
          exports.free(debug);
          exports.free(sethook);
          exports.lua_sethook(L, hookIndex, LUA_MASKCOUNT, HOOK_EVERY);
          return L;
        },
      });
    },
  };
}
