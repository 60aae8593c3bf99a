/*
 * sh: the shell of the runtime. Commands are words with '...' and "..." quoting, \
 * escapes and $NAME / ${NAME} / $? expansion, joined by | into pipelines, with the
 * redirections < > >> 2> 2>&1, and lists separated by ; && || or newlines; # starts a
 * comment. Builtins: cd, pwd, export NAME=VALUE, NAME=VALUE, exit [N], true, false and
 * sh FILE (a script). Everything else is a program of the runtime (utilities.ts).
 * Not supported (a clear error): globbing, subshells, control flow, background jobs.
 */
import { Errno } from '../libc/errno.js';
import { O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../libc/fcntl.js';
import { err, out, type Process, type Program } from './process.js';
import { BrokenPipe, LibcStream, Pipe, type Stream } from './stream.js';
import { UTILITIES } from './utilities.js';

const dec = new TextDecoder();

type Token = { op: string } | { word: string };
interface Redirect { fd: number; mode: '<' | '>' | '>>' | '>&'; target: string }
interface Command { argv: string[]; redirects: Redirect[] }
interface Pipeline { commands: Command[]; then: ';' | '&&' | '||' }

export class ShellError extends Error {}

/** Most bytes of one command line or script the shell parses. */
const MAX_SCRIPT = 1024 * 1024;

export class Shell {
  status = 0;
  exited: number | undefined;

  constructor(private readonly proc: Process) {}

  private expand(name: string): string {
    if (name === '?') return String(this.status);
    return this.proc.env[name] ?? '';
  }

  /** Splits `line` into words and operators, expanding variables (not in single quotes). */
  tokenize(line: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    let word: string | undefined;
    const flush = () => {
      if (word !== undefined) tokens.push({ word });
      word = undefined;
    };
    const variable = (): string => {
      const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*|\?))/.exec(line.slice(i));
      if (!m) {
        i++;
        return '$';
      }
      i += m[0].length;
      /* expanded when the command runs (so $? is the status of the command before) */
      return `\0${m[1] ?? m[2]!}\0`;
    };
    while (i < line.length) {
      const c = line[i]!;
      if (c === '#' && word === undefined) {
        while (i < line.length && line[i] !== '\n') i++;
      } else if (c === ' ' || c === '\t') {
        flush();
        i++;
      } else if (c === '\n' || c === ';') {
        flush();
        tokens.push({ op: ';' });
        i++;
      } else if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new ShellError('unterminated quote (\')');
        word = (word ?? '') + line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        word ??= '';
        i++;
        while (line[i] !== '"') {
          if (i >= line.length) throw new ShellError('unterminated quote (")');
          if (line[i] === '\\' && /["\\$]/.test(line[i + 1] ?? '')) {
            word += line[i + 1];
            i += 2;
          } else if (line[i] === '$') word += variable();
          else word += line[i++];
        }
        i++;
      } else if (c === '\\') {
        word = (word ?? '') + (line[i + 1] ?? '');
        i += 2;
      } else if (c === '$') {
        word = (word ?? '') + variable();
      } else {
        const op = /^(2>&1|2>>|2>|>>|&&|\|\||[|<>&()`])/.exec(line.slice(i))?.[0];
        if (op) {
          if ('&()`'.includes(op)) throw new ShellError(`"${op}" is not supported (no background jobs, subshells or command substitution)`);
          flush();
          tokens.push({ op });
          i += op.length;
        } else {
          word = (word ?? '') + c;
          i++;
        }
      }
    }
    flush();
    return tokens;
  }

  parse(tokens: Token[]): Pipeline[] {
    const pipelines: Pipeline[] = [];
    let commands: Command[] = [];
    let cmd: Command = { argv: [], redirects: [] };
    const endCommand = (what: string) => {
      if (cmd.argv.length === 0) {
        if (cmd.redirects.length || what !== ';' || commands.length) throw new ShellError(`syntax error: empty command before "${what}"`);
        return false;
      }
      commands.push(cmd);
      cmd = { argv: [], redirects: [] };
      return true;
    };
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if ('word' in t) {
        cmd.argv.push(t.word);
        continue;
      }
      if (t.op === '|') {
        endCommand('|');
      } else if (t.op === ';' || t.op === '&&' || t.op === '||') {
        if (endCommand(t.op) || commands.length) {
          pipelines.push({ commands, then: t.op as Pipeline['then'] });
          commands = [];
        }
      } else if (t.op === '2>&1') {
        cmd.redirects.push({ fd: 2, mode: '>&', target: '1' });
      } else {
        const next = tokens[++i];
        if (!next || !('word' in next)) throw new ShellError(`syntax error: "${t.op}" needs a file name`);
        const fd = t.op.startsWith('2') ? 2 : t.op === '<' ? 0 : 1;
        const mode = t.op === '<' ? '<' : t.op.endsWith('>>') ? '>>' : '>';
        cmd.redirects.push({ fd, mode, target: next.word });
      }
    }
    if (cmd.argv.length || cmd.redirects.length || commands.length) endCommand('end of line');
    if (commands.length) pipelines.push({ commands, then: ';' });
    const last = pipelines[pipelines.length - 1];
    if (last && last.then !== ';' && tokens.length && 'op' in tokens[tokens.length - 1]!) {
      const op = (tokens[tokens.length - 1] as { op: string }).op;
      if (op !== ';') throw new ShellError(`syntax error: nothing after "${op}"`);
    }
    return pipelines;
  }

  /**
   * Runs a script: each line as it comes (a quote left open continues on the next line),
   * as sh does, so the lines before a syntax error have run. Returns the last status.
   */
  async run(script: string): Promise<number> {
    if (script.length > MAX_SCRIPT) {
      await err(this.proc, `sh: script longer than ${MAX_SCRIPT} bytes\n`);
      return (this.status = 2);
    }
    const lines = script.replace(/\0/g, '').split('\n');
    let pending = '';
    let start = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!pending) start = i;
      const text = pending ? `${pending}\n${lines[i]}` : lines[i]!;
      let pipelines: Pipeline[];
      try {
        pipelines = this.parse(this.tokenize(text));
      } catch (e) {
        if (!(e instanceof ShellError)) throw e;
        if (e.message.startsWith('unterminated quote') && i < lines.length - 1) {
          pending = text;
          continue;
        }
        await err(this.proc, `sh: line ${start + 1}: ${e.message}\n`);
        return (this.status = 2);
      }
      pending = '';
      await this.execute(pipelines);
      if (this.exited !== undefined) return this.exited;
    }
    return this.status;
  }

  private async execute(pipelines: Pipeline[]): Promise<void> {
    let skip = false;
    for (const pl of pipelines) {
      if (!skip) this.status = await this.pipeline(pl.commands);
      if (this.exited !== undefined) return;
      skip = (pl.then === '&&' && this.status !== 0) || (pl.then === '||' && this.status === 0);
    }
  }

  /** Reads commands from stdin line by line, prompting, until the end or exit. */
  async interactive(prompt: string): Promise<number> {
    let rest = '';
    await out(this.proc, prompt);
    for (;;) {
      const b = await this.proc.fds[0].read(4096);
      if (b.length === 0) break;
      rest += dec.decode(b).replace(/\r/g, '\n');
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        await this.run(line);
        if (this.exited !== undefined) return this.exited;
        await out(this.proc, prompt);
      }
      if (rest.length > 64 * 1024) {
        await err(this.proc, 'sh: line longer than 65536 bytes, dropped\n');
        rest = '';
      }
    }
    return this.status;
  }

  private async open(r: Redirect): Promise<Stream> {
    const flags = r.mode === '<' ? O_RDONLY : O_WRONLY | O_CREAT | (r.mode === '>>' ? O_APPEND : O_TRUNC);
    return new LibcStream(this.proc.libc, await this.proc.libc.open(this.expandWord(r.target), flags), true);
  }

  private async pipeline(commands: Command[]): Promise<number> {
    const pipes = commands.slice(1).map(() => new Pipe());
    const runs = commands.map(async (c, i) => {
      const fds: [Stream, Stream, Stream] = [
        i > 0 ? pipes[i - 1]!.reader : this.proc.fds[0],
        i < pipes.length ? pipes[i]!.writer : this.proc.fds[1],
        this.proc.fds[2],
      ];
      const owned: Stream[] = [];
      if (i > 0) owned.push(fds[0]);
      if (i < pipes.length) owned.push(fds[1]);
      try {
        for (const r of c.redirects) {
          if (r.mode === '>&') fds[r.fd] = fds[1];
          else {
            const s = await this.open(r);
            owned.push(s);
            fds[r.fd] = s;
          }
        }
        return await this.command(c.argv, fds);
      } catch (e) {
        if (e instanceof BrokenPipe) return 141;
        await err(this.proc, `sh: ${this.expandWord(c.argv[0] ?? '')}: ${e instanceof Errno || e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      } finally {
        for (const s of owned) await s.close().catch(() => undefined);
      }
    });
    const statuses = await Promise.all(runs);
    return statuses[statuses.length - 1] ?? 0;
  }

  private expandWord(w: string): string {
    return w.replace(/\0([^\0]*)\0/g, (_, n: string) => this.expand(n));
  }

  private async command(words: string[], fds: [Stream, Stream, Stream]): Promise<number> {
    const argv = words.map((w) => this.expandWord(w));
    const [name, ...args] = argv as [string, ...string[]];
    const p: Process = { ...this.proc, argv, fds };
    const assign = /^([A-Za-z_]\w*)=(.*)$/s;
    if (assign.test(name) && args.length === 0) {
      const m = assign.exec(name)!;
      this.proc.env[m[1]!] = m[2]!;
      return 0;
    }
    switch (name) {
      case 'true': return 0;
      case 'false': return 1;
      case 'pwd':
        await out(p, `${this.proc.libc.getcwd()}\n`);
        return 0;
      case 'cd':
        await this.proc.libc.chdir(args[0] ?? this.proc.env.HOME ?? '/');
        return 0;
      case 'export':
        for (const a of args) {
          const m = assign.exec(a);
          if (!m) throw new ShellError(`export: "${a}" is not NAME=VALUE`);
          this.proc.env[m[1]!] = m[2]!;
        }
        return 0;
      case 'exit': {
        const n = args[0] === undefined ? this.status : Number(args[0]);
        this.exited = Number.isInteger(n) ? n & 0xff : 2;
        return this.exited;
      }
      case 'sh': {
        const sub = new Shell(p);
        if (args[0] === undefined) return sub.interactive('');
        return sub.run(dec.decode(await this.proc.libc.readFile(args[0])));
      }
      default: {
        const program: Program | undefined = UTILITIES[name];
        if (!program) {
          await err(p, `sh: ${name}: command not found\n`);
          return 127;
        }
        return program(p);
      }
    }
  }
}
