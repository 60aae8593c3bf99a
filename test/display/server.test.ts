/* The live display's HTTP side without a browser: page, frames, screenshot, input. */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { DisplayServer } from '../../tool/display/server.js';
import { decodePng } from '../../tool/runner/png.js';

function pcWithMode(width: number, height: number): Pc {
  const pc = new Pc({ ramBytes: 16 * 1024 * 1024 });
  pc.vga.writeDispi(4, 0);
  pc.vga.writeDispi(1, width);
  pc.vga.writeDispi(2, height);
  pc.vga.writeDispi(3, 32);
  pc.vga.writeDispi(4, 0x41);
  return pc;
}

test('page, frames after a change, screenshot and input', async (t) => {
  const pc = pcWithMode(64, 48);
  const server = new DisplayServer(pc, 'test');
  const url = await server.start();
  try {
    t.regex(await (await fetch(url)).text(), /<canvas id="screen"/);
    const first = await fetch(`${url}frame?after=0`);
    t.is(first.status, 200);
    t.is(first.headers.get('x-width'), '64');
    t.is((await first.arrayBuffer()).byteLength, 64 * 48 * 4);
    const version = Number(first.headers.get('x-version'));
    /* the next frame comes once the picture changes */
    const next = fetch(`${url}frame?after=${version}`);
    pc.vga.framebufferBytes().fill(0xff, 0, 4);
    const changed = await next;
    t.is(Number(changed.headers.get('x-version')), version + 1);
    t.is(new Uint8Array(await changed.arrayBuffer())[0], 0xff);

    const png = decodePng(new Uint8Array(await (await fetch(`${url}screenshot.png`)).arrayBuffer()));
    t.deepEqual([png.width, png.height, png.rgba[0]], [64, 48, 0xff]);

    const post = (body: string) => fetch(`${url}input`, { method: 'POST', body });
    const ok = await post(JSON.stringify([{ kind: 'key', code: 'KeyA', down: true }, { kind: 'key', code: 'NoSuchKey', down: true }, { kind: 'move', x: 5, y: 5 }]));
    t.deepEqual(await ok.json(), { performed: 2, refused: 1 });
    t.is((await post('{"not": "a list"}')).status, 400);
    t.is((await fetch(`${url}nothing`)).status, 404);
  } finally {
    await server.stop();
  }
});
