/* tool/run with the live display as a subprocess: started, its URL read from its output, stopped with SIGINT. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../tool/runner/main.js', import.meta.url));

export interface LiveRun {
  url: string;
  output: () => string;
  /** Ends the run as Ctrl-C would; resolves with the exit code. */
  stop: () => Promise<number>;
}

export function startLiveRun(args: string[], timeoutMs = 120_000): Promise<LiveRun> {
  const child: ChildProcess = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tool/run ${args.join(' ')} printed no display URL within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const take = (d: Buffer) => {
      out += d;
      const m = /live display of .*: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        output: () => out,
        stop: async () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tool/run ${args.join(' ')} exited with ${code} before serving the display:\n${out}`));
    });
  });
}
