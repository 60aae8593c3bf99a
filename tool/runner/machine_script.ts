/*
 * What tool/run does at the emulated machine for a scenario (ScenarioSpec.input,
 * serialOutput, framebufferHash): it performs the scripted device input once the output
 * shows the system is ready for it, shows what the serial port sends as "[uart] ..."
 * lines, and checks the framebuffer when the success patterns have matched. A system
 * booted without a machine cannot do any of it, which the run reports as an error.
 */
import { createHash } from 'node:crypto';
import type { MachineInput, MouseAction, Scenario } from '../../base/src/scenario.js';
import { Pc, keyName } from '../pc/index.js';
import type { E1000 } from '../pc/e1000.js';
import type { EthernetPeer } from '../pc/ethernet.js';
import { AudioChecksum, parseAudioCheck, type ChecksumChannels } from '../../os/src/lib/audio/pcm.js';

/** Sound kept for an audio check (16-bit samples): about six minutes of stereo at 44.1 kHz. */
const AUDIO_KEEP_SAMPLES = 32 * 1024 * 1024;

interface AudioCheck {
  channels: ChecksumChannels;
  frames: number;
  checksum: number;
  sum: AudioChecksum;
  /** How far the kept chunks have been summed. */
  chunk: number;
}

/** A key step: "Name" taps, "+Name" presses, "-Name" releases; the name is checked. */
function keyStep(step: string): { key: string; press: boolean; release: boolean } {
  const mode = step[0] === '+' || step[0] === '-' ? step[0] : '';
  return { key: keyName(step.slice(mode.length)), press: mode !== '-', release: mode !== '+' };
}

function checkMouse(a: MouseAction, where: string): void {
  const ok = 'move' in a
    ? Array.isArray(a.move) && a.move.length === 2 && a.move.every(Number.isInteger)
    : 'buttons' in a ? Number.isInteger(a.buttons) && a.buttons >= 0 && a.buttons < 32
      : 'wheel' in a && Number.isInteger(a.wheel);
  if (!ok) throw new Error(`${where}: bad mouse action ${JSON.stringify(a)} (expected {move: [dx, dy]}, {buttons: mask} or {wheel: steps})`);
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
}

export class MachineScript {
  private next = 0;
  private serialText = '';
  /** The cards' cable ends while the scenario has the cable pulled out. */
  private unplugged: (readonly [E1000, EthernetPeer | undefined])[] = [];
  private pc: Pc | undefined;
  /** What the sound card played since power-on, until the audio check is done. */
  private audioChunks: Int16Array[] | undefined;
  private audioKept = 0;
  private audioCheck: AudioCheck | undefined;

  /** Checks the scenario's input up front, so a typo is reported before anything boots. */
  constructor(private readonly sc: Scenario, private readonly log: (line: string) => void, private readonly kernel: string) {
    for (const [i, step] of (sc.input ?? []).entries()) {
      const where = `scenario input ${i + 1}`;
      for (const k of step.keys ?? []) {
        try { keyStep(k); } catch (e) { throw new Error(`${where}: ${(e as Error).message}`); }
      }
      for (const a of step.mouse ?? []) checkMouse(a, where);
    }
  }

  /** The booted system's machine (RunningSystem.machine), if it has one. */
  attach(machine: unknown): void {
    this.pc = machine instanceof Pc ? machine : undefined;
    if (this.sc.serialOutput && this.pc) this.pc.uart.onTransmit((b) => this.transmitted(b));
    /* an interactive run (the live demo) plays for as long as someone listens: no check, nothing kept */
    if (this.sc.audio && this.pc?.audio && !this.sc.interactive) {
      this.audioChunks = [];
      this.pc.audioOut.add({ play: (pcm) => this.audioPlayed(pcm) });
    }
  }

  private audioPlayed(pcm: Int16Array): void {
    if (!this.audioChunks) return;
    if (this.audioKept + pcm.length > AUDIO_KEEP_SAMPLES) {
      this.log(`[ac97] Error: more than ${AUDIO_KEEP_SAMPLES / 2} frames played before the source's audio check`);
      this.audioChunks = undefined;
      return;
    }
    this.audioChunks.push(pcm.slice());
    this.audioKept += pcm.length;
    if (this.audioCheck) this.continueAudioCheck();
  }

  /** Sums what the card played until the check's number of audible frames, then compares. */
  private continueAudioCheck(): void {
    const c = this.audioCheck!;
    const chunks = this.audioChunks!;
    for (; c.chunk < chunks.length; c.chunk++) {
      const pcm = chunks[c.chunk]!;
      for (let i = 0; i + 1 < pcm.length; i += 2) {
        c.sum.addFrame(pcm[i]!, pcm[i + 1]!);
        if (c.sum.audible < c.frames) continue;
        this.audioChunks = undefined;
        const wanted = `${c.channels}: ${c.frames} frames, checksum ${c.checksum.toString(16).padStart(8, '0')}`;
        if (c.sum.value === c.checksum) this.log(`[ac97] ${c.sum}, as the source played them`);
        else this.log(`[ac97] Error: the card played ${c.sum}, the source ${wanted}`);
        return;
      }
    }
  }

  private transmitted(byte: number): void {
    if (byte === 0x0a) {
      this.log(`[uart] ${this.serialText}`);
      this.serialText = '';
    } else if (byte !== 0x0d) {
      this.serialText += printable(byte);
    }
  }

  /** Called for every output line: performs the input steps waiting for it. */
  line(text: string): void {
    if (this.sc.audio && !this.sc.interactive && !this.audioCheck && !text.startsWith('[ac97]')) {
      const check = parseAudioCheck(text);
      if (check) {
        this.audioCheck = { ...check, sum: new AudioChecksum(check.channels), chunk: 0 };
        if (!this.audioChunks) this.log(`[ac97] Error: the scenario checks the sound card's output, and kernel ${this.kernel} has no sound card`);
        else this.continueAudioCheck();
      }
    }
    const steps = this.sc.input ?? [];
    while (this.next < steps.length && steps[this.next]!.after.test(text)) this.perform(steps[this.next++]!);
  }

  private perform(step: MachineInput): void {
    const pc = this.pc;
    if (!pc) {
      this.log(`[run] Error: the scenario's input needs an emulated machine, and kernel ${this.kernel} has none`);
      return;
    }
    for (const k of step.keys ?? []) {
      const { key, press, release } = keyStep(k);
      if (press) pc.keyboard.press(key);
      if (release) pc.keyboard.release(key);
    }
    for (const a of step.mouse ?? []) {
      if ('move' in a) pc.mouse.move(a.move[0], a.move[1]);
      else if ('buttons' in a) pc.mouse.buttons(a.buttons);
      else pc.mouse.wheel(a.wheel);
    }
    if (step.serial !== undefined) pc.uart.receive(step.serial);
    if (step.cable === 'unplug') {
      this.unplugged = pc.nics.map((card) => [card, card.connectedTo] as const);
      for (const card of pc.nics) card.connect(undefined);
    } else if (step.cable === 'plug') {
      for (const [card, peer] of this.unplugged) card.connect(peer);
      this.unplugged = [];
    }
  }

  /** What is wrong with the end state, if anything (checked once the success patterns matched). */
  finalProblem(): string | undefined {
    const want = this.sc.framebufferHash;
    if (want === undefined) return undefined;
    if (!this.pc) return `the scenario checks the framebuffer, and kernel ${this.kernel} has no emulated machine`;
    const m = this.pc.vga.mode();
    const got = createHash('sha256').update(this.pc.vga.framebufferBytes()).digest('hex');
    if (got === want) return undefined;
    return `framebuffer (${m.enabled ? `${m.width}x${m.height}x${m.bitsPerPixel}` : 'disabled'}) has SHA-256 ${got}, expected ${want}`;
  }
}
