/* tool/run's machine script: input checked before boot, performed on matching lines; serial output; framebuffer check. */
import test from 'ava';
import { createHash } from 'node:crypto';
import { scenario } from '../../base/src/scenario.js';
import { MachineScript } from '../../tool/runner/machine_script.js';
import { Pc } from '../../tool/pc/index.js';
import { AudioChecksum } from '../../os/src/lib/audio/pcm.js';

const base = { description: 'x', modules: [], config: '<config/>', succeed: /never/, timeout: '1s' };

function drain(pc: Pc): number[] {
  const bytes: number[] = [];
  while (pc.inPort(0x64, 1) & 1) bytes.push(pc.inPort(0x60, 1));
  return bytes;
}

test('bad key names and mouse actions are refused before anything boots', (t) => {
  t.throws(() => new MachineScript(scenario({ ...base, input: [{ after: /x/, keys: ['NoSuchKey'] }] }), () => {}, 'nova'),
    { message: /scenario input 1: unknown key name 'NoSuchKey'/ });
  t.throws(() => new MachineScript(scenario({ ...base, input: [{ after: /x/, mouse: [{ move: [1] as unknown as [number, number] }] }] }), () => {}, 'nova'),
    { message: /bad mouse action/ });
  t.throws(() => scenario({ ...base, framebufferHash: 'abc' }), { message: /not a SHA-256/ });
});

test('input steps run once, in order, when their line appears', (t) => {
  const pc = new Pc();
  const script = new MachineScript(scenario({
    ...base,
    input: [{ after: /ready/, keys: ['a', '+ShiftLeft'] }, { after: /again/, keys: ['-ShiftLeft'], serial: 'hi' }],
  }), () => {}, 'nova');
  script.attach(pc);
  script.line('not yet');
  t.deepEqual(drain(pc), []);
  script.line('again'); // the second step waits for the first
  t.deepEqual(drain(pc), []);
  script.line('[x] ready');
  t.deepEqual(drain(pc), [0x1e, 0x9e, 0x2a]); // a make/break, left shift make (set 1 through the i8042's translation)
  script.line('ready');
  t.deepEqual(drain(pc), []);
  script.line('again');
  t.deepEqual(drain(pc), [0xaa]);
  t.is(pc.uart.pendingInput, 2);
});

test('serial output becomes [uart] lines; input without a machine is an error line', (t) => {
  const lines: string[] = [];
  const pc = new Pc();
  const script = new MachineScript(scenario({ ...base, serialOutput: true, input: [{ after: /go/, serial: 'x' }] }), (l) => lines.push(l), 'nova');
  script.attach(pc);
  for (const b of Buffer.from('hello\r\nw\x01\n')) pc.outPort(0x3f8, 1, b);
  t.deepEqual(lines, ['[uart] hello', '[uart] w\\x01']);
  const none: string[] = [];
  const bare = new MachineScript(scenario({ ...base, input: [{ after: /go/, serial: 'x' }] }), (l) => none.push(l), 'bare');
  bare.attach(undefined);
  bare.line('go');
  t.regex(none[0]!, /Error: the scenario's input needs an emulated machine, and kernel bare has none/);
});

test('the framebuffer check compares the visible frame', (t) => {
  const pc = new Pc();
  for (const [i, v] of [[1, 4], [2, 2], [3, 32], [4, 0x41]]) pc.outPort(0x1ce, 2, i!), pc.outPort(0x1cf, 2, v!);
  pc.vga.vram.fill(7, 0, 32);
  const hash = createHash('sha256').update(pc.vga.framebufferBytes()).digest('hex');
  const ok = new MachineScript(scenario({ ...base, framebufferHash: hash }), () => {}, 'nova');
  ok.attach(pc);
  t.is(ok.finalProblem(), undefined);
  pc.vga.vram[0] = 8;
  t.regex(ok.finalProblem()!, /framebuffer \(4x2x32\) has SHA-256 [0-9a-f]{64}, expected/);
  const bare = new MachineScript(scenario({ ...base, framebufferHash: hash }), () => {}, 'bare');
  t.regex(bare.finalProblem()!, /kernel bare has no emulated machine/);
});

test('the audio check compares the card\'s audible frames with the source\'s checksum, whenever they were played', (t) => {
  const played = Int16Array.of(0, 0, 10, 20, 30, 40, 0, 0, 50, 60);
  const source = new AudioChecksum();
  source.add(played.subarray(0, 6)); // the source's two audible frames
  const run = (checksum: string, before: boolean): string[] => {
    const pc = new Pc({ audio: true });
    const lines: string[] = [];
    const script = new MachineScript(scenario({ ...base, audio: true }), (l) => lines.push(l), 'nova');
    script.attach(pc);
    if (before) pc.audioOut.play(played, 44100, 0);
    script.line(`[init -> source] audio check stereo: 2 frames, checksum ${checksum}`);
    if (!before) pc.audioOut.play(played, 44100, 0);
    return lines;
  };
  const hex = source.value.toString(16).padStart(8, '0');
  t.deepEqual(run(hex, true), [`[ac97] stereo: 2 frames, checksum ${hex}, as the source played them`]);
  t.deepEqual(run(hex, false), [`[ac97] stereo: 2 frames, checksum ${hex}, as the source played them`]);
  t.regex(run('00000000', true)[0]!, /^\[ac97\] Error: the card played stereo: 2 frames, checksum [0-9a-f]{8}, the source stereo: 2 frames, checksum 00000000$/);
  /* a machine without the card */
  const lines: string[] = [];
  const script = new MachineScript(scenario({ ...base, audio: true }), (l) => lines.push(l), 'nova');
  script.attach(new Pc());
  script.line(`audio check stereo: 2 frames, checksum ${hex}`);
  t.regex(lines[0]!, /\[ac97\] Error: .* has no sound card/);
});
