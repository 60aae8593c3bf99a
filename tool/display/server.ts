/*
 * The live web display (tool/run for interactive scenarios): a local HTTP server on
 * 127.0.0.1 that serves the page, the emulated framebuffer and a PNG screenshot, and takes
 * the browser's keyboard and mouse events into the emulated PS/2 devices.
 *
 *   GET  /                 the page
 *   GET  /frame?after=N    the visible frame as raw RGBA (gzip), once its version exceeds N;
 *                          headers x-width, x-height, x-version; 204 after a while unchanged
 *   GET  /screenshot.png   the visible frame as PNG
 *   POST /input            a JSON array of DisplayEvent (see input.ts), performed in order
 *   GET  /audio[?after=N]  the sound card's output after frame N, or from now on (see audio.ts); 404 without a card
 */
import { createHash } from 'node:crypto';
import { LongPolls } from './long_polls.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Pc } from '../pc/index.js';
import { encodePng } from '../runner/png.js';
import { DisplayAudio, type AudioTap } from './audio.js';
import { DisplayInput, type DisplayEvent } from './input.js';
import { displayPage } from './page.js';

/** How often the frame is compared with the last one while a browser waits for a new one. */
const POLL_MS = 40;
/** How long a frame request waits for a change before it is answered with 204. */
const LONG_POLL_MS = 20_000;
const MAX_INPUT_BYTES = 64 * 1024;

export class DisplayServer {
  private server: Server | undefined;
  private readonly input: DisplayInput;
  private version = 0;
  private lastHash = '';
  private readonly waiting = new LongPolls(LONG_POLL_MS);
  private poller: NodeJS.Timeout | undefined;

  private readonly audio: DisplayAudio | undefined;

  constructor(private readonly pc: Pc, private readonly title: string, audioTap?: AudioTap) {
    this.input = new DisplayInput(pc);
    this.audio = audioTap && new DisplayAudio(audioTap);
  }

  /** Listens on 127.0.0.1 (`port` 0: a free one) and returns the page's URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => this.route(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    clearInterval(this.poller);
    this.audio?.stop();
    this.waiting.endAll();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Bumps the version when the visible frame changed since the last look. */
  private look(): void {
    const bytes = this.pc.vga.framebufferBytes();
    if (bytes.length === 0) return;
    const m = this.pc.vga.mode();
    const hash = createHash('sha1').update(`${m.width}x${m.height}x${m.bitsPerPixel}`).update(bytes).digest('hex');
    if (hash !== this.lastHash) {
      this.lastHash = hash;
      this.version++;
    }
  }

  private serveWaiting(): void {
    if (this.waiting.size === 0) {
      clearInterval(this.poller);
      this.poller = undefined;
      return;
    }
    this.look();
    const ready = this.waiting.take((w) => w.after < this.version);
    if (ready.length === 0) return;
    const frame = this.frame();
    for (const w of ready) this.sendFrame(w.res, frame);
  }

  private frame(): { width: number; height: number; body: Buffer } {
    const m = this.pc.vga.mode();
    return { width: m.width, height: m.height, body: gzipSync(this.pc.vga.toRgba(), { level: 1 }) };
  }

  private sendFrame(res: ServerResponse, f: { width: number; height: number; body: Buffer }): void {
    res.writeHead(200, {
      'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'cache-control': 'no-store',
      'x-width': String(f.width), 'x-height': String(f.height), 'x-version': String(this.version),
    });
    res.end(f.body);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(displayPage(this.title));
    } else if (req.method === 'GET' && url.pathname === '/frame') {
      const after = Number(url.searchParams.get('after') ?? '0');
      if (!Number.isInteger(after) || after < 0) {
        res.writeHead(400).end('after= must be a frame version (a whole number)\n');
        return;
      }
      this.waiting.add(after, res);
      this.poller ??= setInterval(() => this.serveWaiting(), POLL_MS);
      this.serveWaiting();
    } else if (req.method === 'GET' && url.pathname === '/screenshot.png') {
      const m = this.pc.vga.mode();
      if (!m.enabled) {
        res.writeHead(503).end('the VGA has no graphics mode set yet\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(encodePng(m.width, m.height, this.pc.vga.toRgba()));
    } else if (req.method === 'GET' && url.pathname === '/audio') {
      const text = url.searchParams.get('after');
      const after = text === null ? undefined : Number(text);
      if (!this.audio) res.writeHead(404).end('this machine has no sound card\n');
      else if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) res.writeHead(400).end('after= must be a frame number (a whole number)\n');
      else this.audio.request(after, res);
    } else if (req.method === 'POST' && url.pathname === '/input') {
      this.readInput(req, res);
    } else {
      res.writeHead(404).end(`no ${req.method} ${url.pathname} here (see / for the display)\n`);
    }
  }

  private readInput(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_INPUT_BYTES) req.destroy();
    });
    req.on('end', () => {
      let events: DisplayEvent[];
      try {
        events = JSON.parse(body) as DisplayEvent[];
        if (!Array.isArray(events)) throw new Error('expected an array');
      } catch (e) {
        res.writeHead(400).end(`input must be a JSON array of events: ${(e as Error).message}\n`);
        return;
      }
      const refused = events.filter((e) => !this.input.apply(e)).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ performed: events.length - refused, refused }));
    });
  }
}
