/*
 * The web display's page: a canvas that shows the emulated framebuffer (fetched as raw
 * RGBA frames, each request answered when the picture changed) and sends keyboard and
 * mouse events to the display server in order. Keys are taken while the canvas has the
 * focus (click it); the browser's own shortcuts are suppressed there. The canvas scales
 * down to fit the window (pointer positions are scaled back), and two buttons press the
 * keys a laptop may lack or the browser takes: Scroll Lock (nitpicker's X-ray mode) and
 * F12 (its emergency key, which opens the browser's developer tools otherwise).
 *
 * Sound (audio.ts): browsers start Web Audio only after a user gesture, so the "Sound"
 * button creates the AudioContext; then every chunk of the card's output is scheduled
 * right after the previous one, and what would sound more than MAX_AHEAD_S after the
 * audio clock's present is skipped, oldest frames first (the server skips ahead the same
 * way), which keeps the sound within 100 ms of the machine instead of drifting. window.__audio counts
 * what arrived and was scheduled, and level() reads an AnalyserNode on the output.
 */

export function displayPage(title: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; background: #111; color: #bbb; font: 13px sans-serif; }
  #bar { padding: 4px 8px; }
  #bar button { font: 12px sans-serif; margin-left: 6px; padding: 1px 6px; }
  canvas { display: block; margin: 0 8px; image-rendering: pixelated; outline: none; cursor: none; background: #000;
    max-width: calc(100vw - 16px); max-height: calc(100vh - 40px); width: auto; height: auto; }
  canvas:focus { box-shadow: 0 0 0 2px #4a7ad0; }
</style></head>
<body>
<div id="bar">${escapeHtml(title)} &mdash; <span id="status">waiting for the first frame</span>
  <button id="xray" title="press Scroll Lock: nitpicker's X-ray mode">X-ray</button>
  <button id="emergency" title="press F12: nitpicker's emergency key (focus back to the launchpad)">Emergency key</button>
  <button id="sound" title="play the sound card's output (browsers need a click before they play sound)">Sound on</button></div>
<canvas id="screen" width="640" height="480" tabindex="0"></canvas>
<script>
const canvas = document.getElementById('screen');
const ctx = canvas.getContext('2d');
const statusText = document.getElementById('status');
const state = window.__display = { frames: 0, version: 0, width: 0, height: 0 };

async function frames() {
  for (;;) {
    let r;
    try {
      r = await fetch('/frame?after=' + state.version, { cache: 'no-store' });
    } catch (e) {
      statusText.textContent = 'the run has ended';
      return;
    }
    if (r.status !== 200) { if (r.status !== 204) await new Promise((w) => setTimeout(w, 500)); continue; }
    const w = Number(r.headers.get('x-width')), h = Number(r.headers.get('x-height'));
    const pixels = new Uint8ClampedArray(await r.arrayBuffer());
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    ctx.putImageData(new ImageData(pixels, w, h), 0, 0);
    state.version = Number(r.headers.get('x-version'));
    state.frames++;
    state.width = w; state.height = h;
    statusText.textContent = w + 'x' + h + ', frame ' + state.version + ' (click the screen to type)';
  }
}

let queue = [];
let sending = Promise.resolve();
function send(e) {
  queue.push(e);
  if (queue.length > 1) return;
  sending = sending.then(async () => {
    const batch = queue; queue = [];
    await fetch('/input', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) }).catch(() => {});
  });
}
function position(e) {
  const r = canvas.getBoundingClientRect();
  return { x: Math.floor((e.clientX - r.left) * canvas.width / r.width), y: Math.floor((e.clientY - r.top) * canvas.height / r.height) };
}
canvas.addEventListener('mouseenter', (e) => { send({ kind: 'enter' }); send({ kind: 'move', ...position(e) }); });
canvas.addEventListener('mousemove', (e) => send({ kind: 'move', ...position(e) }));
canvas.addEventListener('mousedown', (e) => { canvas.focus(); e.preventDefault(); send({ kind: 'move', ...position(e) }); send({ kind: 'buttons', mask: e.buttons }); });
canvas.addEventListener('mouseup', (e) => { e.preventDefault(); send({ kind: 'move', ...position(e) }); send({ kind: 'buttons', mask: e.buttons }); });
canvas.addEventListener('wheel', (e) => { e.preventDefault(); send({ kind: 'wheel', dy: Math.sign(e.deltaY) }); }, { passive: false });
canvas.addEventListener('contextmenu', (e) => e.preventDefault());
canvas.addEventListener('keydown', (e) => { e.preventDefault(); if (!e.repeat) send({ kind: 'key', code: e.code, down: true }); });
canvas.addEventListener('keyup', (e) => { e.preventDefault(); send({ kind: 'key', code: e.code, down: false }); });
function press(code) {
  send({ kind: 'key', code, down: true });
  send({ kind: 'key', code, down: false });
  canvas.focus();
}
document.getElementById('xray').addEventListener('click', () => press('ScrollLock'));
document.getElementById('emergency').addEventListener('click', () => press('F12'));
frames();

const soundButton = document.getElementById('sound');
const MAX_AHEAD_S = 0.1;
const audio = window.__audio = { playing: false, chunks: 0, frames: 0, nonSilentFrames: 0, dropped: 0, skipped: 0, aheadMs: 0, level: () => 0 };
let actx, analyser, next = 0, after, fetching = false;
soundButton.addEventListener('click', async () => {
  if (!actx) {
    actx = new AudioContext({ latencyHint: 'interactive' });
    analyser = actx.createAnalyser();
    analyser.fftSize = 2048;
    analyser.connect(actx.destination);
    const probe = new Float32Array(analyser.fftSize);
    audio.level = () => { analyser.getFloatTimeDomainData(probe); let m = 0; for (const v of probe) m = Math.max(m, Math.abs(v)); return m; };
  }
  audio.playing = !audio.playing;
  if (audio.playing) await actx.resume();
  else await actx.suspend();
  soundButton.textContent = audio.playing ? 'Mute' : 'Sound on';
  if (audio.playing && !fetching) sound();
});

async function sound() {
  fetching = true;
  for (;;) {
    let r;
    try {
      r = await fetch(after === undefined ? '/audio' : '/audio?after=' + after, { cache: 'no-store' });
    } catch (e) {
      break;
    }
    if (r.status === 404) { soundButton.disabled = true; soundButton.title = 'this machine has no sound card'; break; }
    if (r.status !== 200) { if (r.status !== 204) await new Promise((w) => setTimeout(w, 500)); continue; }
    const rate = Number(r.headers.get('x-rate'));
    after = Number(r.headers.get('x-end'));
    audio.skipped += Number(r.headers.get('x-skipped'));
    const pcm = new Int16Array(await r.arrayBuffer());
    const frames = pcm.length >> 1;
    if (frames === 0 || !audio.playing) continue; /* muted: follow the stream without playing it */
    const now = actx.currentTime;
    if (next < now) next = now + 0.02; /* the first chunk, or after an underrun: a small cushion */
    /* no sound more than MAX_AHEAD_S ahead: the oldest frames of a chunk that would reach further are skipped */
    const room = Math.floor((MAX_AHEAD_S - (next - now)) * rate);
    const skip = Math.max(0, frames - Math.max(0, room));
    audio.dropped += skip;
    if (skip === frames) continue;
    const count = frames - skip;
    const buffer = actx.createBuffer(2, count, rate);
    const left = buffer.getChannelData(0), right = buffer.getChannelData(1);
    let loud = 0;
    for (let i = 0; i < count; i++) {
      const lv = pcm[2 * (skip + i)], rv = pcm[2 * (skip + i) + 1];
      left[i] = lv / 32768;
      right[i] = rv / 32768;
      if (lv !== 0 || rv !== 0) loud++;
    }
    const source = actx.createBufferSource();
    source.buffer = buffer;
    source.connect(analyser);
    source.start(next);
    next += count / rate;
    audio.chunks++;
    audio.frames += count;
    audio.nonSilentFrames += loud;
    audio.aheadMs = Math.round((next - now) * 1000);
  }
  fetching = false;
}
</script>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
