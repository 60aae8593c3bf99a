/*
 * The Lua side of libports' Lua: `io`, `print`, `os.time`/`os.clock`/`os.remove`/...,
 * `loadfile`/`dofile`/`require` and the REPL, written in Lua over requests to the
 * component (interpreter.ts). A script runs as a coroutine; a request is a yield of a
 * private marker, the operation and its arguments, answered by the component when the
 * (asynchronous) libc call is done. coroutine.resume/wrap pass requests of nested
 * coroutines outwards, so scripts may use coroutines freely. A request from inside a C
 * function (a table.sort comparator, a string.gsub callback) cannot yield: Lua reports
 * "attempt to yield across a C-call boundary".
 *
 * The chunk returns the marker; the REPL is the global function `__repl(echo)`.
 */
export const PRELUDE = String.raw`
local REQ = setmetatable({}, { __name = 'host request', __metatable = false })
local co_yield, co_resume, co_create = coroutine.yield, coroutine.resume, coroutine.create
local pack, unpack, concat = table.pack, table.unpack, table.concat
local type, tostring, tonumber, setmetatable, getmetatable, error, select = type, tostring, tonumber, setmetatable, getmetatable, error, select
local function host(...) return co_yield(REQ, ...) end

function coroutine.resume(co, ...)
  local r = pack(co_resume(co, ...))
  while r[1] and r[2] == REQ do
    r = pack(co_resume(co, co_yield(unpack(r, 2, r.n))))
  end
  return unpack(r, 1, r.n)
end
function coroutine.wrap(f)
  local co = co_create(f)
  return function(...)
    local r = pack(coroutine.resume(co, ...))
    if not r[1] then error(r[2], 2) end
    return unpack(r, 2, r.n)
  end
end

-- files
local File = { __name = 'FILE*' }
File.__index = File
local function mkfile(fd) return setmetatable({ fd = fd, buf = '', closed = false }, File) end
function File.__tostring(f) if f.closed then return 'file (closed)' end return 'file (' .. f.fd .. ')' end
local function check(f, what)
  if getmetatable(f) ~= File then error("bad argument #1 to '" .. what .. "' (FILE* expected, got " .. type(f) .. ')', 3) end
  if f.closed then error('attempt to use a closed file', 3) end
  return f
end
local function fill(f)
  local s, err, code = host('read', f.fd, 4096)
  if not s then return nil, err, code end
  if #s == 0 then return false end
  f.buf = f.buf .. s
  return true
end
local function readline(f, keep)
  while true do
    local i = f.buf:find('\n', 1, true)
    if i then
      local l = f.buf:sub(1, keep and i or i - 1)
      f.buf = f.buf:sub(i + 1)
      return l
    end
    local ok, err, code = fill(f)
    if ok == nil then return nil, err, code end
    if not ok then
      if #f.buf == 0 then return nil end
      local l = f.buf
      f.buf = ''
      return l
    end
  end
end
local function readn(f, n)
  while #f.buf < n do
    local ok, err, code = fill(f)
    if ok == nil then return nil, err, code end
    if not ok then break end
  end
  if #f.buf == 0 and n > 0 then return nil end
  local s = f.buf:sub(1, n)
  f.buf = f.buf:sub(n + 1)
  return s
end
local function readall(f)
  while true do
    local ok, err, code = fill(f)
    if ok == nil then return nil, err, code end
    if not ok then break end
  end
  local s = f.buf
  f.buf = ''
  return s
end
local function readnumber(f)
  while #f.buf < 200 do
    local ok = fill(f)
    if not ok then break end
  end
  local sp, num = f.buf:match('^(%s*)([%+%-]?[%w%.]*)')
  f.buf = f.buf:sub(#sp + #num + 1)
  return tonumber(num)
end
function File.read(f, ...)
  check(f, 'read')
  local n = select('#', ...)
  if n == 0 then return readline(f, false) end
  local out = {}
  for i = 1, n do
    local fmt = select(i, ...)
    local v, err, code
    if type(fmt) == 'number' then
      if fmt < 0 or fmt ~= fmt // 1 then error("bad argument #" .. i .. " to 'read' (invalid count)", 2) end
      v, err, code = readn(f, fmt)
    else
      fmt = tostring(fmt):gsub('^%*', ''):sub(1, 1)
      if fmt == 'l' then v, err, code = readline(f, false)
      elseif fmt == 'L' then v, err, code = readline(f, true)
      elseif fmt == 'a' then v, err, code = readall(f)
      elseif fmt == 'n' then v = readnumber(f)
      else error("bad argument #" .. i .. " to 'read' (invalid format)", 2) end
    end
    if err then return nil, err, code end
    out[i] = v
    if v == nil then return unpack(out, 1, i) end
  end
  return unpack(out, 1, n)
end
function File.write(f, ...)
  check(f, 'write')
  local t = pack(...)
  for i = 1, t.n do
    local v = t[i]
    if type(v) == 'number' then t[i] = tostring(v)
    elseif type(v) ~= 'string' then error("bad argument #" .. i .. " to 'write' (string expected, got " .. type(v) .. ')', 2) end
  end
  local ok, err, code = host('write', f.fd, concat(t, '', 1, t.n))
  if not ok then return nil, err, code end
  return f
end
function File.lines(f, ...)
  check(f, 'lines')
  local fmts = pack(...)
  return function()
    if f.closed then error('file is already closed', 2) end
    if fmts.n == 0 then return readline(f, false) end
    return f:read(unpack(fmts, 1, fmts.n))
  end
end
function File.seek(f, whence, offset)
  check(f, 'seek')
  whence = whence or 'cur'
  offset = offset or 0
  if whence == 'cur' then offset = offset - #f.buf end
  local pos, err, code = host('seek', f.fd, offset, whence)
  if not pos then return nil, err, code end
  f.buf = ''
  return pos
end
function File.close(f)
  check(f, 'close')
  f.closed = true
  local ok, err, code = host('close', f.fd)
  if not ok then return nil, err, code end
  return true
end
function File.flush(f) check(f, 'flush') return f end
function File.setvbuf(f) check(f, 'setvbuf') return true end
File.__close = function(f) if not f.closed then f:close() end end

local stdin, stdout, stderr = mkfile(0), mkfile(1), mkfile(2)
local input, output = stdin, stdout
io = {
  stdin = stdin, stdout = stdout, stderr = stderr,
  open = function(name, mode)
    mode = mode or 'r'
    if type(name) ~= 'string' then error("bad argument #1 to 'open' (string expected, got " .. type(name) .. ')', 2) end
    if not mode:match('^[rwa]%+?b?$') then error("bad argument #2 to 'open' (invalid mode)", 2) end
    local fd, err, code = host('open', name, mode)
    if not fd then return nil, err, code end
    return mkfile(fd)
  end,
  type = function(f)
    if getmetatable(f) ~= File then return nil end
    return f.closed and 'closed file' or 'file'
  end,
  input = function(f)
    if type(f) == 'string' then input = assert(io.open(f, 'r')) elseif f ~= nil then input = check(f, 'input') end
    return input
  end,
  output = function(f)
    if type(f) == 'string' then output = assert(io.open(f, 'w')) elseif f ~= nil then output = check(f, 'output') end
    return output
  end,
  read = function(...) return input:read(...) end,
  write = function(...) return output:write(...) end,
  close = function(f) return (f or output):close() end,
  lines = function(name, ...)
    if name == nil then return input:lines(...) end
    local f, err = io.open(name, 'r')
    if not f then error(err, 2) end
    local fmts = pack(...)
    return function()
      local r = pack(f:read(unpack(fmts, 1, fmts.n)))
      if r[1] == nil and not f.closed then f:close() end
      return unpack(r, 1, r.n)
    end
  end,
  popen = function() return nil, 'io.popen is not supported', 45 end,
  tmpfile = function() return nil, 'io.tmpfile is not supported', 45 end,
}
package.loaded.io = io

function print(...)
  local t = pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  host('write', 1, concat(t, '\t', 1, t.n) .. '\n')
end

-- os: time through the Timer session, files through the libc
local c_time, c_date = os.time, os.date
function os.time(t) if t == nil then return host('time') end return c_time(t) end
function os.clock() return host('clock') end
function os.date(fmt, t) return c_date(fmt, t or host('time')) end
function os.getenv(name) return host('getenv', tostring(name)) end
function os.exit(code) host('exit', code == nil or code == true and 0 or code == false and 1 or tonumber(code) or 0) end
function os.remove(name) return host('remove', name) end
function os.rename(a, b) return host('rename', a, b) end
local tmpnames = 0
function os.tmpname() tmpnames = tmpnames + 1 return '/tmp/lua_' .. tmpnames end
os.execute = function(cmd) if cmd == nil then return false end return nil, 'exit', 127 end

-- loading code from files
function loadfile(name, mode, env)
  local f, err = io.open(name, 'r')
  if not f then return nil, 'cannot open ' .. tostring(name) end
  local src = f:read('a')
  f:close()
  src = src:gsub('^#[^\n]*', '')
  if env ~= nil then return load(src, '@' .. name, mode or 'bt', env) end
  return load(src, '@' .. name, mode or 'bt')
end
function dofile(name)
  local f = assert(loadfile(name))
  return f()
end
package.path = './?.lua;./?/init.lua;/lua/?.lua;/lua/?/init.lua'
package.cpath = ''
function package.searchpath(name, path, sep, rep)
  name = name:gsub('%' .. (sep or '.'), rep or '/')
  local tried = {}
  for template in path:gmatch('[^;]+') do
    local file = template:gsub('%?', name)
    local f = io.open(file, 'r')
    if f then f:close() return file end
    tried[#tried + 1] = "\n\tno file '" .. file .. "'"
  end
  return nil, concat(tried)
end
package.searchers[2] = function(name)
  local file, err = package.searchpath(name, package.path)
  if not file then return err end
  local f, lerr = loadfile(file)
  if not f then error(lerr, 2) end
  return f, file
end
package.searchers[3] = nil
package.searchers[4] = nil

function __repl(echo)
  io.write(_VERSION, ' (genode-ts) ready\n')
  while true do
    io.write('> ')
    local line = io.read('l')
    if line == nil then io.write('\n') return end
    line = line:gsub('\r$', '')
    if echo then io.write(line, '\n') end
    local chunk = line
    local f, err = load('return ' .. chunk, '=stdin')
    if not f then
      while true do
        f, err = load(chunk, '=stdin')
        if f or not (err and err:find('<eof>$')) then break end
        io.write('>> ')
        local more = io.read('l')
        if more == nil then break end
        more = more:gsub('\r$', '')
        if echo then io.write(more, '\n') end
        chunk = chunk .. '\n' .. more
      end
    end
    if not f then io.write(err, '\n')
    else
      local r = pack(pcall(f))
      if not r[1] then io.write(tostring(r[2]), '\n')
      elseif r.n > 1 then print(unpack(r, 2, r.n)) end
    end
  end
end

return REQ
`;
