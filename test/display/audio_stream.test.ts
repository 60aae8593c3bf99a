/* The live display's audio stream (tool/display/audio.ts): bounded buffer, skip-ahead, long poll. */
import test from 'ava';
import type { ServerResponse } from 'node:http';
import { DisplayAudio, MAX_LAG_MS } from '../../tool/display/audio.js';

type Sink = { play(interleaved: Int16Array, rate: number, tsc: number): void };

function fakeTap() {
  const sinks = new Set<Sink>();
  return { sinks, add: (s: Sink) => (sinks.add(s), () => sinks.delete(s)), play: (x: Int16Array) => { for (const s of sinks) s.play(x, 44100, 0); } };
}

function response() {
  const r = { status: 0, headers: {} as Record<string, string>, body: undefined as Buffer | undefined, closers: [] as Array<() => void> };
  const res = {
    writeHead(status: number, headers?: Record<string, string>) { r.status = status; r.headers = headers ?? {}; return res; },
    end(body?: Buffer) { r.body = body; return res; },
    on(ev: string, fn: () => void) { if (ev === 'close') r.closers.push(fn); return res; },
  };
  return { r, res: res as unknown as ServerResponse };
}

/** `frames` stereo frames numbered from `from` (left = n, right = -n, as int16). */
function frames(from: number, count: number): Int16Array {
  const s = new Int16Array(2 * count);
  for (let i = 0; i < count; i++) { s[2 * i] = (from + i) & 0x7fff; s[2 * i + 1] = -((from + i) & 0x7fff); }
  return s;
}

test('a browser that keeps up gets every frame in order', (t) => {
  const tap = fakeTap();
  const a = new DisplayAudio(tap);
  tap.play(frames(0, 512));
  const { r, res } = response();
  a.request(0, res);
  t.is(r.status, 200);
  t.is(r.headers['x-first'], '0');
  t.is(r.headers['x-end'], '512');
  t.is(r.headers['x-skipped'], '0');
  const got = new Int16Array(r.body!.buffer, r.body!.byteOffset, r.body!.length / 2);
  t.deepEqual([...got.subarray(0, 6)], [0, 0, 1, -1, 2, -2]);
  /* a long poll answered by the next period */
  const w = response();
  a.request(512, w.res);
  t.is(w.r.status, 0, 'waits');
  tap.play(frames(512, 512));
  t.is(w.r.status, 200);
  t.is(w.r.headers['x-first'], '512');
  t.is(w.r.body!.length, 512 * 4);
  a.stop();
  t.is(tap.sinks.size, 0, 'the sink is removed');
});

test('a browser that fell behind skips to the newest 100 ms; the buffer stays bounded', (t) => {
  const tap = fakeTap();
  const a = new DisplayAudio(tap);
  for (let n = 0; n < 200; n++) tap.play(frames(n * 512, 512)); /* 2.3 s */
  const { r, res } = response();
  a.request(0, res);
  const lag = Math.ceil((44100 * MAX_LAG_MS) / 1000);
  t.is(r.headers['x-end'], String(200 * 512));
  t.is(r.headers['x-first'], String(200 * 512 - lag));
  t.is(r.headers['x-skipped'], String(200 * 512 - lag));
  t.is(r.body!.length, lag * 4);
  const got = new Int16Array(r.body!.buffer, r.body!.byteOffset, 2);
  t.is(got[0], (200 * 512 - lag) & 0x7fff, 'the frames are the newest ones');
  /* a page that just started asks without after=: from now on, nothing counted as skipped */
  const fresh = response();
  a.request(undefined, fresh.res);
  t.is(fresh.r.headers['x-skipped'], '0');
  t.is(fresh.r.headers['x-first'], String(200 * 512 - lag));
  a.stop();
});
