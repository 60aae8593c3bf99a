/*
 * The shell runtime's programs: ls, cat, echo, cp, mv, rm, mkdir, wc, grep, head and lua,
 * each a small POSIX-like utility over the process's descriptors and the libc. Errors go
 * to stderr as "<program>: <what>" and make the exit status 1.
 */
import { Errno } from '../libc/errno.js';
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, S_ISDIR } from '../libc/fcntl.js';
import { LuaInterpreter } from '../lua/interpreter.js';
import { err, out, readAll, type Process, type Program } from './process.js';
import { BrokenPipe, LibcStream, type Stream } from './stream.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function why(e: unknown): string {
  if (e instanceof Errno) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** Options (-x, -xy) before the operands; `--` ends them. */
function options(argv: readonly string[], known: string): { flags: Set<string>; args: string[]; bad?: string } {
  const flags = new Set<string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-' || /^-\d+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (!known.includes(c)) return { flags, args: [], bad: c };
      flags.add(c);
    }
  }
  return { flags, args: argv.slice(i) };
}

async function openRead(p: Process, path: string): Promise<Stream> {
  if (path === '-') return p.fds[0];
  return new LibcStream(p.libc, await p.libc.open(path, O_RDONLY), true);
}

async function withInputs(p: Process, name: string, files: string[], each: (s: Stream, file: string) => Promise<void>): Promise<number> {
  let status = 0;
  for (const f of files.length ? files : ['-']) {
    let s: Stream;
    try {
      s = await openRead(p, f);
    } catch (e) {
      await err(p, `${name}: ${f}: ${why(e)}\n`);
      status = 1;
      continue;
    }
    try {
      await each(s, f);
    } catch (e) {
      if (e instanceof BrokenPipe) throw e;
      await err(p, `${name}: ${f}: ${why(e)}\n`);
      status = 1;
    } finally {
      if (s !== p.fds[0]) await s.close();
    }
  }
  return status;
}

const echo: Program = async (p) => {
  let args = p.argv.slice(1);
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  await out(p, args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

const cat: Program = async (p) => withInputs(p, 'cat', p.argv.slice(1), async (s) => {
  for (;;) {
    const b = await s.read(64 * 1024);
    if (b.length === 0) return;
    await out(p, b);
  }
});

const ls: Program = async (p) => {
  const { flags, args, bad } = options(p.argv, 'la');
  if (bad) {
    await err(p, `ls: unknown option -${bad}\n`);
    return 2;
  }
  let status = 0;
  const paths = args.length ? args : ['.'];
  for (const path of paths) {
    try {
      const st = await p.libc.stat(path);
      const names = S_ISDIR(st.mode) ? (await p.libc.listdir(path)).sort() : [path];
      if (paths.length > 1 && S_ISDIR(st.mode)) await out(p, `${path}:\n`);
      for (const n of names) {
        if (n.startsWith('.') && !flags.has('a')) continue;
        if (flags.has('l')) {
          const s = await p.libc.lstat(S_ISDIR(st.mode) ? `${path}/${n}` : n);
          await out(p, `${S_ISDIR(s.mode) ? 'd' : '-'} ${String(s.size).padStart(8)} ${n}${S_ISDIR(s.mode) ? '/' : ''}\n`);
        } else await out(p, `${n}\n`);
      }
    } catch (e) {
      await err(p, `ls: ${path}: ${why(e)}\n`);
      status = 1;
    }
  }
  return status;
};

async function copyFile(p: Process, from: string, to: string): Promise<void> {
  let target = to;
  try {
    if (S_ISDIR((await p.libc.stat(to)).mode)) target = `${to}/${from.split('/').pop()}`;
  } catch {
    /* a new file */
  }
  const a = await p.libc.stat(from);
  const b = await p.libc.stat(target).catch(() => undefined);
  if (b && a.dev === b.dev && a.ino === b.ino) throw new Errno('EINVAL', `"${from}" and "${target}" are the same file`);
  if (S_ISDIR(a.mode)) throw new Errno('EISDIR', `"${from}" is a directory (no cp -r)`);
  const src = await p.libc.open(from, O_RDONLY);
  try {
    const dst = await p.libc.open(target, O_WRONLY | O_CREAT | O_TRUNC);
    try {
      for (;;) {
        const b = await p.libc.read(src, 64 * 1024);
        if (b.length === 0) break;
        await p.libc.write(dst, b);
      }
    } finally {
      await p.libc.close(dst);
    }
  } finally {
    await p.libc.close(src);
  }
}

function twoOrMore(name: string): Program {
  return async (p) => {
    const { args } = options(p.argv, '');
    if (args.length < 2) {
      await err(p, `${name}: missing operand (usage: ${name} SOURCE... DEST)\n`);
      return 1;
    }
    const dest = args[args.length - 1]!;
    let status = 0;
    for (const src of args.slice(0, -1)) {
      try {
        if (name === 'cp') await copyFile(p, src, dest);
        else {
          let target = dest;
          try {
            if (S_ISDIR((await p.libc.stat(dest)).mode)) target = `${dest}/${src.split('/').pop()}`;
          } catch {
            /* a new name */
          }
          await p.libc.rename(src, target);
        }
      } catch (e) {
        await err(p, `${name}: ${src}: ${why(e)}\n`);
        status = 1;
      }
    }
    return status;
  };
}

const rm: Program = async (p) => {
  const { flags, args, bad } = options(p.argv, 'rf');
  if (bad) {
    await err(p, `rm: unknown option -${bad}\n`);
    return 2;
  }
  let status = 0;
  const remove = async (path: string): Promise<void> => {
    const st = await p.libc.lstat(path);
    if (S_ISDIR(st.mode)) {
      if (!flags.has('r')) throw new Errno('EISDIR', `${path} is a directory`);
      for (const n of await p.libc.listdir(path)) await remove(`${path}/${n}`);
      await p.libc.rmdir(path);
    } else await p.libc.unlink(path);
  };
  for (const a of args) {
    try {
      await remove(a);
    } catch (e) {
      if (flags.has('f') && e instanceof Errno && e.code === 'ENOENT') continue;
      await err(p, `rm: ${a}: ${why(e)}\n`);
      status = 1;
    }
  }
  return status;
};

const mkdir: Program = async (p) => {
  const { flags, args } = options(p.argv, 'p');
  let status = 0;
  for (const a of args) {
    try {
      if (flags.has('p')) {
        let at = a.startsWith('/') ? '' : '.';
        for (const part of a.split('/').filter(Boolean)) {
          at = `${at}/${part}`;
          try {
            await p.libc.mkdir(at);
          } catch (e) {
            if (!(e instanceof Errno && e.code === 'EEXIST')) throw e;
          }
        }
      } else await p.libc.mkdir(a);
    } catch (e) {
      await err(p, `mkdir: ${a}: ${why(e)}\n`);
      status = 1;
    }
  }
  return status;
};

const wc: Program = async (p) => {
  const { flags, args, bad } = options(p.argv, 'lwc');
  if (bad) {
    await err(p, `wc: unknown option -${bad}\n`);
    return 2;
  }
  const show = flags.size ? flags : new Set(['l', 'w', 'c']);
  const totals = [0, 0, 0];
  const line = (n: number[], name: string) =>
    `${['l', 'w', 'c'].filter((f) => show.has(f)).map((f) => String(n['lwc'.indexOf(f)])).join(' ')}${name ? ` ${name}` : ''}\n`;
  const status = await withInputs(p, 'wc', args, async (s, f) => {
    const b = await readAll(s);
    const text = dec.decode(b);
    const n = [(text.match(/\n/g) ?? []).length, text.split(/\s+/).filter(Boolean).length, b.length];
    n.forEach((v, i) => (totals[i]! += v));
    await out(p, line(n, args.length ? f : ''));
  });
  if (args.length > 1) await out(p, line(totals, 'total'));
  return status;
};

async function eachLine(s: Stream, fn: (line: string) => Promise<boolean>): Promise<void> {
  let rest = '';
  const dec2 = new TextDecoder();
  for (;;) {
    const b = await s.read(64 * 1024);
    const text = rest + dec2.decode(b, { stream: b.length > 0 });
    const lines = text.split('\n');
    rest = b.length ? lines.pop()! : '';
    if (!b.length && lines[lines.length - 1] === '') lines.pop();
    for (const l of lines) if (!(await fn(l))) return;
    if (!b.length) return;
  }
}

const grep: Program = async (p) => {
  const { flags, args, bad } = options(p.argv, 'ivcn');
  if (bad || args.length === 0) {
    await err(p, bad ? `grep: unknown option -${bad}\n` : 'grep: missing pattern (usage: grep [-ivcn] PATTERN [FILE...])\n');
    return 2;
  }
  let re: RegExp;
  try {
    if (args[0]!.length > 1024) throw new Error('pattern longer than 1024 characters');
    re = new RegExp(args[0]!, flags.has('i') ? 'i' : '');
  } catch (e) {
    await err(p, `grep: bad pattern: ${why(e)}\n`);
    return 2;
  }
  const files = args.slice(1);
  let matched = 0;
  const status = await withInputs(p, 'grep', files, async (s, f) => {
    let n = 0;
    let count = 0;
    await eachLine(s, async (l) => {
      n++;
      if (re.test(l) !== flags.has('v')) {
        count++;
        matched++;
        if (!flags.has('c')) await out(p, `${files.length > 1 ? `${f}:` : ''}${flags.has('n') ? `${n}:` : ''}${l}\n`);
      }
      return true;
    });
    if (flags.has('c')) await out(p, `${files.length > 1 ? `${f}:` : ''}${count}\n`);
  });
  return status !== 0 ? 2 : matched > 0 ? 0 : 1;
};

const head: Program = async (p) => {
  let argv = [...p.argv];
  let lines = 10;
  const m = /^-(\d+)$/.exec(argv[1] ?? '');
  if (m) {
    lines = Number(m[1]);
    argv.splice(1, 1);
  } else if (argv[1] === '-n') {
    lines = Number(argv[2]);
    argv.splice(1, 2);
  }
  if (!Number.isSafeInteger(lines) || lines < 0) {
    await err(p, 'head: invalid number of lines\n');
    return 1;
  }
  argv = argv.slice(1);
  return withInputs(p, 'head', argv, async (s) => {
    let n = 0;
    if (lines === 0) return;
    await eachLine(s, async (l) => {
      await out(p, `${l}\n`);
      return ++n < lines;
    });
  });
};

/** lua [-e code]... [script [args]]: with neither, the REPL on stdin. */
const lua: Program = async (p) => {
  const interp = await LuaInterpreter.create({
    libc: p.libc,
    timer: p.timer,
    epoch: p.epoch,
    env: p.env,
    stdio: { read: (_fd, n) => p.fds[0].read(n), write: (fd, d) => p.fds[fd === 2 ? 2 : 1].write(d) },
  });
  try {
    const argv = p.argv.slice(1);
    let ran = false;
    while (argv[0] === '-e') {
      const code = argv[1];
      if (code === undefined) {
        await err(p, "lua: '-e' needs argument\n");
        return 1;
      }
      argv.splice(0, 2);
      ran = true;
      const r = await interp.run(code, '=(command line)');
      if (!r.ok) {
        await err(p, `lua: ${r.message ?? 'failed'}\n`);
        return 1;
      }
      if (r.exitCode !== undefined) return r.exitCode;
    }
    if (argv.length) {
      const [script, ...args] = argv as [string, ...string[]];
      let source: Uint8Array;
      try {
        source = await p.libc.readFile(script);
      } catch (e) {
        await err(p, `lua: cannot open ${script}: ${why(e)}\n`);
        return 1;
      }
      const r = await interp.run(source, `@${script}`, args);
      if (!r.ok) {
        await err(p, `lua: ${r.message ?? 'failed'}\n`);
        return 1;
      }
      return r.exitCode ?? 0;
    }
    if (!ran) {
      const r = await interp.repl(false);
      return r.ok ? (r.exitCode ?? 0) : 1;
    }
    return 0;
  } finally {
    await interp.closeFiles();
    interp.close();
  }
};

export const UTILITIES: Readonly<Record<string, Program>> = {
  echo, cat, ls, cp: twoOrMore('cp'), mv: twoOrMore('mv'), rm, mkdir, wc, grep, head, lua,
};

export { enc as utf8 };
