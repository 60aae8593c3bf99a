/*
 * libports' Lua: the loader's VM (hook, memory cap, no debug.sethook) and the interpreter's
 * io/os/print over an in-process libc.
 */
import test from 'ava';
import { MAX_VMS } from '../../base/src/loader/lua_vm.js';
import { LuaInterpreter } from '../../libports/src/lib/lua/interpreter.js';
import { fakeTimer, meteredVm, ramLibc } from './helpers.js';

const dec = new TextDecoder();

async function lua(limit = Infinity, maxOutput?: number) {
  const out: string[] = [];
  const { meter, vm } = meteredVm(limit);
  const libc = await ramLibc();
  const interp = await LuaInterpreter.create({
    libc, timer: fakeTimer(), epoch: 1700000000, vmModule: vm, maxOutput,
    stdio: { read: async () => new Uint8Array(0), write: async (_fd, d) => (out.push(dec.decode(d)), d.length) },
  });
  return { interp, out, meter, libc };
}

test('io writes a file, reads it back; os.time counts from the epoch', async (t) => {
  const { interp, out } = await lua();
  const r = await interp.run(`
    local f = assert(io.open('x.txt', 'w')); f:write('a\\n', 42, '\\n'); f:close()
    local g = io.open('x.txt'); print(g:read('l'), g:read('n'), g:read('a') == '\\n'); g:close()
    print(os.time() >= 1700000000, os.clock() > 0, io.open('nope'))`, '=t');
  t.true(r.ok, r.message);
  t.deepEqual(out.join(''), 'a\t42\ttrue\ntrue\ttrue\tnil\tnope: No such file or directory\t2\n');
});

test('a looping script is charged to the meter and stopped by it', async (t) => {
  const { interp, meter } = await lua(5_000_000);
  await t.throwsAsync(interp.run('while true do end', '=loop'), { message: 'runaway' });
  t.true(meter.ticks > 5_000_000);
});

test('debug.sethook is gone; the hook stays', async (t) => {
  const { interp, out, meter } = await lua();
  const r = await interp.run('print(debug.sethook, debug.gethook() ~= nil) for i = 1, 100000 do end', '=t');
  t.true(r.ok, r.message);
  t.is(out.join(''), 'nil\ttrue\n');
  t.true(meter.ticks >= 100000 / 1000 * 500 * 0.9);
});

test('memory is capped: a huge string fails inside Lua', async (t) => {
  const { interp, out } = await lua();
  const r = await interp.run("print(pcall(string.rep, 'x', 200 * 1024 * 1024))", '=t');
  t.true(r.ok, r.message);
  t.regex(out.join(''), /^false\tnot enough memory\n$/);
});

test('output past the bound is dropped, with one note', async (t) => {
  const { interp, out } = await lua(Infinity, 100);
  const r = await interp.run("for i = 1, 1000 do io.write('0123456789') end", '=t');
  t.true(r.ok, r.message);
  const all = out.join('');
  t.is(all, `${'0123456789'.repeat(10)}lua: output limit of 100 bytes reached, further output dropped\n`);
});

test('errors come back with a traceback; syntax errors with the chunk name', async (t) => {
  const { interp } = await lua();
  const r = await interp.run('local t = nil\nreturn t.x', '@s.lua');
  t.false(r.ok);
  t.regex(r.message!, /^s\.lua:2: attempt to index a nil value \(local 't'\)\nstack traceback:/);
  const s = await interp.run('x = = 1', '@bad.lua');
  t.regex(s.message!, /^bad\.lua:1: unexpected symbol near '='/);
});

test('a component has at most MAX_VMS VMs open; closing one frees its place', async (t) => {
  const { vm } = meteredVm();
  const open = Array.from({ length: MAX_VMS }, () => vm.instantiate());
  t.throws(() => vm.instantiate(), { message: /more than 8 VM instances open/ });
  open[0]!.close();
  t.throws(() => open[0]!.newState(), { message: /used after close/ });
  t.throws(() => open[0]!.api.lua_gettop(0), { message: /used after close/ });
  const again = vm.instantiate();
  t.true(again.newState() > 0);
});

test('hostile reads: a negative count is refused, a huge one reads what there is, a closed file refuses', async (t) => {
  const { interp, out, libc } = await lua();
  await libc.writeFile('f', 'abc');
  const r = await interp.run(`
    local f = io.open('f')
    print(pcall(f.read, f, -5))
    print(f:read(1e12))
    f:close()
    print(pcall(f.read, f))`, '=t');
  t.true(r.ok, r.message);
  t.is(out.join(''), "false\tbad argument #1 to 'read' (invalid count)\nabc\nfalse\tattempt to use a closed file\n");
});
