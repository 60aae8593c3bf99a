/*
 * audio_drv's period logic (os/src/drivers/audio/out.ts) with stand-in sessions: conversion
 * and interleaving, silence on underrun, the bounded hold that keeps a stereo pair together,
 * and a channel that stops feeding not stalling the other.
 */
import test from 'ava';
import { AudioOut, HOLD_PERIODS } from '../../os/src/drivers/audio/out.js';
import { AudioOutServerStream, AudioOutStream, PERIOD, STREAM_BYTES } from '../../os/src/session/audio_out/stream.js';
import type { AudioOutSessionComponent } from '../../os/src/session/audio_out/session_component.js';
import type { AudioOutPacket } from '../../os/src/session/audio_out/stream.js';

class FakeSession {
  readonly label = 'fake';
  readonly server: AudioOutServerStream;
  readonly client: AudioOutStream;
  active = true;
  progress = 0;
  allocs = 0;
  readonly stats = { played: 0, underruns: 0 };
  constructor() {
    const memory = new Uint8Array(STREAM_BYTES);
    this.server = new AudioOutServerStream(memory);
    this.client = new AudioOutStream(memory);
  }
  take(): AudioOutPacket | undefined { return this.active ? this.server.current() : undefined; }
  played(p: AudioOutPacket): void {
    const wasFull = this.server.full();
    p.invalidate();
    p.markAsPlayed();
    this.server.setPosition(p.index + 1);
    this.stats.played++;
    if (wasFull) this.allocs++;
  }
  underrun(): void { if (this.active) this.stats.underruns++; }
  progressSubmit(): void { this.progress++; }
  submit(value: number): void {
    const p = this.client.alloc();
    p.content(new Array<number>(PERIOD).fill(value));
    p.markSubmitted();
  }
}

function setup(): { out: AudioOut; l: FakeSession; r: FakeSession; pcm: Int16Array } {
  const out = new AudioOut();
  const l = new FakeSession();
  const r = new FakeSession();
  out.channels[0] = l as unknown as AudioOutSessionComponent;
  out.channels[1] = r as unknown as AudioOutSessionComponent;
  return { out, l, r, pcm: new Int16Array(PERIOD * 2) };
}

test('both channels converted, clipped and interleaved; progress to both', (t) => {
  const { out, l, r, pcm } = setup();
  l.submit(0.5);
  r.submit(-2);
  out.fill(pcm);
  t.deepEqual([...pcm.slice(0, 4)], [16383, -32767, 16383, -32767]);
  t.is(l.stats.played, 1);
  t.is(r.stats.played, 1);
  t.is(l.progress, 1);
  t.is(r.progress, 1);
});

test('nothing queued: silence, counted as underrun, no progress', (t) => {
  const { out, l, r, pcm } = setup();
  pcm.fill(7);
  t.true(out.fill(pcm));
  t.true(pcm.every((v) => v === 0));
  t.is(l.stats.underruns, 1);
  t.is(r.progress, 0);
});

test('one channel ready: held for HOLD_PERIODS, then played alone; the pair stays together when the other comes in time', (t) => {
  const { out, l, r, pcm } = setup();
  l.submit(0.25);
  t.false(out.fill(pcm), 'a held period: the card plays it before filling the next');
  t.is(l.stats.played, 0, 'held');
  r.submit(0.75);
  t.true(out.fill(pcm));
  t.is(pcm[0], 8191);
  t.is(pcm[1], 24575);

  /* the right client stops feeding: the left one plays after the hold */
  for (let i = 0; i < 10; i++) l.submit(0.1);
  for (let i = 0; i < HOLD_PERIODS; i++) out.fill(pcm);
  t.is(l.stats.played, 1);
  out.fill(pcm);
  t.is(l.stats.played, 2);
  t.is(pcm[0], 3276);
  t.is(pcm[1], 0);
  for (let i = 0; i < 9; i++) out.fill(pcm);
  t.is(l.stats.played, 11, 'no stall and no slowdown: one packet per period once the hold ran out');
  /* the right client comes back: the pair is held together again */
  l.submit(0.2);
  r.submit(0.2);
  out.fill(pcm);
  t.is(pcm[0], pcm[1]);
  t.is(pcm[0], 6553);
  l.submit(0.3);
  out.fill(pcm);
  t.is(l.stats.played, 12, 'held for the right channel, which fed again');
});

test('a stopped channel does not hold the other', (t) => {
  const { out, l, r, pcm } = setup();
  r.active = false;
  l.submit(0.5);
  out.fill(pcm);
  t.is(l.stats.played, 1);
});

test('non-finite samples become silence', (t) => {
  const { out, l, r, pcm } = setup();
  const p = l.client.alloc();
  p.content([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30]);
  p.markSubmitted();
  r.submit(0);
  out.fill(pcm);
  t.deepEqual([pcm[0], pcm[2], pcm[4], pcm[6]], [0, 0, 0, 32767]);
});
