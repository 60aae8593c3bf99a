/*
 * The web display's page: a canvas that shows the emulated framebuffer (fetched as raw
 * RGBA frames, each request answered when the picture changed) and sends keyboard and
 * mouse events to the display server in order. Keys are taken while the canvas has the
 * focus (click it); the browser's own shortcuts are suppressed there. The canvas scales
 * down to fit the window (pointer positions are scaled back), and two buttons press the
 * keys a laptop may lack or the browser takes: Scroll Lock (nitpicker's X-ray mode) and
 * F12 (its emergency key, which opens the browser's developer tools otherwise).
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
  <button id="emergency" title="press F12: nitpicker's emergency key (focus back to the launchpad)">Emergency key</button></div>
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
</script>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
