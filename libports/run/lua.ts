import { scenario, parentProvides, timerDriver, uartDriver } from '../../base/src/scenario.js';

/*
 * lua (libports): the Lua 5.4 interpreter as components.
 * - lua_script runs a script from a ROM module: io writes a file into its ram file
 *   system, reads it back (lines, numbers, seek), os.time/os.clock come from the Timer
 *   session, print goes to LOG; a second script from a file reports its arguments, a
 *   third fails with a traceback, a fourth writes past its output limit.
 * - lua_repl runs the interactive REPL on the UART's Terminal session: the lines sent to
 *   the serial port are evaluated, the results come back through the UART.
 * - lua_loop runs a script that loops forever: the VM's count hook charges it to the CPU
 *   meter, which stops it as a runaway (on linux core's heartbeat watchdog may come first,
 *   in real time); the others go on.
 */
const enc = new TextEncoder();
const script = `
local t0, c0 = os.time(), os.clock()
local f = assert(io.open('/tmp/numbers.txt', 'w'))
for i = 1, 5 do f:write(i * i, '\\n') end
f:write('done\\n')
assert(f:close())
local sum, count = 0, 0
for line in io.lines('/tmp/numbers.txt') do
  local n = tonumber(line)
  if n then sum = sum + n; count = count + 1 end
end
print(('io: wrote and read back %d numbers, sum %d'):format(count, sum))
local g = assert(io.open('/tmp/numbers.txt', 'r'))
local a, b = g:read('n', 'n')
print('io: read numbers', a, b, 'size', g:seek('end'))
g:seek('set', 0)
print('io: first line again', g:read('l'))
g:close()
print('io: missing file', select(2, io.open('/tmp/none.txt')))
assert(os.rename('/tmp/numbers.txt', '/tmp/squares.txt'))
print('io: renamed, old gone', io.open('/tmp/numbers.txt') == nil, 'removed', os.remove('/tmp/squares.txt'))
local x = 0
for i = 1, 200000 do x = x + i % 7 end
local t1, c1 = os.time(), os.clock()
print('os: time from epoch', t0 >= 1700000000 and t1 >= t0, 'clock advances', c1 > c0, 'date', os.date('!%Y-%m-%d', 1700000000))
print('os: getenv', os.getenv('USER'), os.getenv('NONE'))
local co = coroutine.wrap(function() for l in io.lines('/etc/motd') do coroutine.yield(l) end end)
print('coroutine io:', co())
print(_VERSION, 'script done')
`;
const failing = `print('about to fail'); local t = nil; return t.field`;
const loop = `print('spinning'); local n = 0; while true do n = n + 1 end`;
const flood = `for i = 1, 100000 do print(('%06d flood line'):format(i)) end`;

export default scenario({
  description: 'lua (libports): Lua 5.4 (wasmoon) running a script from ROM with io over the libc (write, read back, seek, rename, remove), os.time/os.clock from the Timer, print to LOG, a script from a file with arguments, a runtime error with traceback, bounded output, and the REPL on the UART',
  modules: ['timer', 'uart_drv', 'lua'],
  roms: { 'test.lua': enc.encode(script), 'fail.lua': enc.encode(failing), 'flood.lua': enc.encode(flood), 'loop.lua': enc.encode(loop) },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${uartDriver()}
  <start name="lua_script" caps="200">
    <binary name="lua"/>
    <resource name="RAM" quantum="16M"/>
    <config epoch="1700000000" max_output="4K">
      <vfs>
        <dir name="dev"> <log/> </dir>
        <dir name="tmp"> <ram/> </dir>
        <dir name="etc"> <inline name="motd">first motd line
second</inline> </dir>
        <dir name="scripts"> <inline name="args.lua">print('args:', #arg, ...) print('arg[0]', arg[0])</inline> </dir>
      </vfs>
      <libc stdout="/dev/log" stderr="/dev/log" cwd="/tmp"/>
      <env name="USER" value="genode"/>
      <script rom="test.lua"/>
      <script file="/scripts/args.lua"> <arg value="one"/> <arg value="two"/> </script>
      <script rom="fail.lua"/>
      <script rom="flood.lua"/>
    </config>
    <route>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="lua_loop" caps="200">
    <binary name="lua"/>
    <resource name="RAM" quantum="16M"/>
    <config> <vfs> <dir name="dev"> <log/> </dir> </vfs> <libc stdout="/dev/log"/> <script rom="loop.lua"/> </config>
    <route>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="lua_repl" caps="200">
    <binary name="lua"/>
    <resource name="RAM" quantum="16M"/>
    <config epoch="1700000000">
      <vfs> <dir name="dev"> <log/> <terminal/> </dir> <dir name="tmp"> <ram/> </dir> </vfs>
      <libc stdin="/dev/terminal" stdout="/dev/terminal" stderr="/dev/terminal" cwd="/tmp"/>
      <repl echo="yes"/>
    </config>
    <route>
      <service name="Terminal"><child name="uart_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  serialOutput: true,
  input: [
    {
      after: /^\[uart\] Lua 5\.4 \(genode-ts\) ready$/,
      serial: 'x = 6 * 7\nx\nfunction sq(n)\n  return n * n\nend\nprint(sq(x), "squared")\nio.open("/tmp/r.txt", "w"):write("from the repl"):close()\nio.open("/tmp/r.txt"):read("a")\nerror("oops")\nos.exit(3)\n',
    },
  ],
  succeed: [
    /\[init -> lua_script\] io: wrote and read back 5 numbers, sum 55$/m,
    /\[init -> lua_script\] io: read numbers\t1\t4\tsize\t17$/m,
    /\[init -> lua_script\] io: first line again\t1$/m,
    /\[init -> lua_script\] io: missing file\t\/tmp\/none.txt: No such file or directory\t2$/m,
    /\[init -> lua_script\] io: renamed, old gone\ttrue\tremoved\ttrue$/m,
    /\[init -> lua_script\] os: time from epoch\ttrue\tclock advances\ttrue\tdate\t2023-11-14$/m,
    /\[init -> lua_script\] os: getenv\tgenode\tnil$/m,
    /\[init -> lua_script\] coroutine io:\tfirst motd line$/m,
    /\[init -> lua_script\] Lua 5\.4\tscript done$/m,
    /\[init -> lua_script\] args:\t2\tone\ttwo$/m,
    /\[init -> lua_script\] Error: fail.lua: fail.lua:1: attempt to index a nil value \(local 't'\)$/m,
    /\[init -> lua_script\] lua: output limit of 4096 bytes reached, further output dropped$/m,
    /\[init -> lua_script\] flood.lua finished$/m,
    /^\[uart\] > x$/m,
    /^\[uart\] 42$/m,
    /^\[uart\] 1764\\x09squared$/m,
    /^\[uart\] from the repl$/m,
    /^\[uart\] stdin:1: oops$/m,
    /\[init -> lua_loop\] spinning$/m,
    /child "lua_loop" exited with exit value -1/,
    /\[init -> lua_repl\] repl finished \(os.exit 3\)$/m,
  ],
  /* fail.lua fails on purpose, lua_loop is stopped on purpose */
  fail: /^(?!\[init -> lua_script\] Error: fail\.lua: )(?!\[init -> lua_loop\] Error: (?:CpuExhausted: |no heartbeat for \d+ ms))\[.*\] Error: /,
  timeout: '60s',
});
