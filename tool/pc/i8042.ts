/*
 * The i8042 keyboard controller: data port 0x60, status/command port 0x64, one output
 * buffer shared by the keyboard (IRQ1) and the auxiliary PS/2 port with the mouse (IRQ12).
 *
 * Bytes move from the devices into the output buffer immediately (no serial-line delay);
 * the controller's own replies go first, then keyboard bytes, then mouse bytes. With config
 * bit 6 set, keyboard bytes are translated from scan code set 2 to set 1 on the way, as on
 * every PC since the AT.
 */

import type { IoWidth, IrqLine, PortHandler } from './io.js';
import type { Ps2Device } from './ps2_device.js';
import { SET2_TO_SET1 } from './ps2_keyboard.js';

// Status register (port 0x64 read)
const STATUS_OBF = 0x01;
const STATUS_SYSTEM = 0x04;
const STATUS_COMMAND = 0x08;
const STATUS_NOT_INHIBITED = 0x10;
const STATUS_AUX_OBF = 0x20;

// Config byte (controller RAM byte 0)
export const CONFIG_KBD_IRQ = 0x01;
export const CONFIG_AUX_IRQ = 0x02;
export const CONFIG_SYSTEM = 0x04;
export const CONFIG_KBD_DISABLED = 0x10;
export const CONFIG_AUX_DISABLED = 0x20;
export const CONFIG_TRANSLATE = 0x40;

/** What a BIOS leaves behind: keyboard IRQ on, system flag, translation on, mouse off. */
export const DEFAULT_CONFIG = CONFIG_KBD_IRQ | CONFIG_SYSTEM | CONFIG_TRANSLATE;

// Output port (commands 0xD0/0xD1)
const OUTPUT_RESET_HIGH = 0x01; // 0 = hold the CPU in reset
const OUTPUT_A20 = 0x02;

export class I8042 implements PortHandler {
  /** Controller RAM; byte 0 is the config ("command") byte. */
  readonly ram = new Uint8Array(32);
  a20 = true;

  private systemFlag = false;
  private lastWriteWasCommand = false;
  private full = false; // OBF
  private fromAux = false;
  private data = 0;
  private readonly replies: Array<{ byte: number; aux: boolean }> = [];
  private pendingCommand: number | undefined; // a command whose data byte comes through port 0x60
  private breakPrefix = false; // translation saw 0xF0
  private readonly resetListeners: Array<() => void> = [];

  constructor(
    readonly keyboard: Ps2Device,
    readonly mouse: Ps2Device,
    private readonly irq1: IrqLine,
    private readonly irq12: IrqLine,
    config = DEFAULT_CONFIG,
  ) {
    this.ram[0] = config;
    this.systemFlag = (config & CONFIG_SYSTEM) !== 0;
    keyboard.attach(() => this.fill());
    mouse.attach(() => this.fill());
    this.updateIrqs();
  }

  get config(): number {
    return this.ram[0];
  }

  /** The controller pulsed the CPU reset line (command 0xFE, or output port bit 0 cleared). */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  status(): number {
    return (this.full ? STATUS_OBF : 0) | (this.systemFlag ? STATUS_SYSTEM : 0) |
      (this.lastWriteWasCommand ? STATUS_COMMAND : 0) | STATUS_NOT_INHIBITED |
      (this.full && this.fromAux ? STATUS_AUX_OBF : 0);
  }

  inPort(port: number, _width: IoWidth): number {
    if (port === 0x64) return this.status();
    if (port !== 0x60) return 0xff;
    const value = this.data; // an empty buffer reads as the last byte again
    this.full = false;
    this.updateIrqs();
    this.fill();
    return value;
  }

  outPort(port: number, _width: IoWidth, value: number): void {
    value &= 0xff;
    if (port === 0x64) {
      this.lastWriteWasCommand = true;
      this.command(value);
    } else if (port === 0x60) {
      this.lastWriteWasCommand = false;
      this.writeData(value);
    }
    this.fill();
  }

  private command(command: number): void {
    this.pendingCommand = undefined;
    if (command >= 0x20 && command <= 0x3f) return this.reply(this.ram[command & 0x1f]);
    if (command >= 0x60 && command <= 0x7f) {
      this.pendingCommand = command;
      return;
    }
    switch (command) {
      case 0xa4: return this.reply(0xf1); // no password installed
      case 0xa7: return this.setConfig(this.config | CONFIG_AUX_DISABLED);
      case 0xa8: return this.setConfig(this.config & ~CONFIG_AUX_DISABLED);
      case 0xa9: return this.reply(0x00); // aux port test passed
      case 0xaa: // controller self-test
        this.systemFlag = true;
        return this.reply(0x55);
      case 0xab: return this.reply(0x00); // keyboard port test passed
      case 0xad: return this.setConfig(this.config | CONFIG_KBD_DISABLED);
      case 0xae: return this.setConfig(this.config & ~CONFIG_KBD_DISABLED);
      case 0xc0: return this.reply(0x80); // input port: keyboard not locked
      case 0xd0: return this.reply(this.outputPort());
      case 0xd1: case 0xd2: case 0xd3: case 0xd4:
        this.pendingCommand = command;
        return;
      case 0xe0: return this.reply(0x00); // test inputs
    }
    // 0xF0-0xFF pulse output-port lines low for a moment; bit 0 clear pulses the CPU reset.
    if (command >= 0xf0 && !(command & 0x01)) this.resetCpu();
  }

  private writeData(value: number): void {
    const command = this.pendingCommand;
    this.pendingCommand = undefined;
    if (command === undefined) {
      // Sending to the keyboard re-enables its interface, as on the real controller.
      if (this.config & CONFIG_KBD_DISABLED) this.setConfig(this.config & ~CONFIG_KBD_DISABLED);
      this.keyboard.receive(value);
    } else if (command >= 0x60 && command <= 0x7f) {
      if ((command & 0x1f) === 0) this.setConfig(value);
      else this.ram[command & 0x1f] = value;
    } else if (command === 0xd1) {
      this.a20 = (value & OUTPUT_A20) !== 0;
      if (!(value & OUTPUT_RESET_HIGH)) this.resetCpu();
    } else if (command === 0xd2) {
      this.reply(value);
    } else if (command === 0xd3) {
      this.reply(value, true);
    } else if (command === 0xd4) {
      this.mouse.receive(value);
    }
  }

  private setConfig(value: number): void {
    this.ram[0] = value;
    this.systemFlag = (value & CONFIG_SYSTEM) !== 0;
    this.updateIrqs(); // enabling an IRQ with a full buffer raises it now
  }

  private outputPort(): number {
    return OUTPUT_RESET_HIGH | (this.a20 ? OUTPUT_A20 : 0) |
      (this.full && !this.fromAux ? 0x10 : 0) | (this.full && this.fromAux ? 0x20 : 0);
  }

  private reply(byte: number, aux = false): void {
    this.replies.push({ byte, aux });
  }

  private resetCpu(): void {
    for (const listener of this.resetListeners) listener();
  }

  /** Move the next byte into an empty output buffer: replies first, then keyboard, then mouse. */
  private fill(): void {
    while (!this.full) {
      const reply = this.replies.shift();
      if (reply) {
        this.load(reply.byte, reply.aux);
      } else if (!(this.config & CONFIG_KBD_DISABLED) && this.keyboard.hasOutput()) {
        const translated = this.translate(this.keyboard.takeOutput()!);
        if (translated !== undefined) this.load(translated, false);
      } else if (!(this.config & CONFIG_AUX_DISABLED) && this.mouse.hasOutput()) {
        this.load(this.mouse.takeOutput()!, true);
      } else {
        return;
      }
    }
  }

  /** Set 2 -> set 1 when config bit 6 is set; the break prefix 0xF0 becomes bit 7 of the next byte. */
  private translate(byte: number): number | undefined {
    if (!(this.config & CONFIG_TRANSLATE)) return byte;
    if (byte === 0xf0) {
      this.breakPrefix = true;
      return undefined;
    }
    const set1 = SET2_TO_SET1.get(byte) ?? byte;
    const result = this.breakPrefix ? set1 | 0x80 : set1;
    this.breakPrefix = false;
    return result;
  }

  private load(byte: number, aux: boolean): void {
    this.data = byte;
    this.fromAux = aux;
    this.full = true;
    this.updateIrqs();
  }

  /** Each IRQ is high while a byte for it waits and its config bit enables it; a read lowers it. */
  private updateIrqs(): void {
    this.irq1.set(this.full && !this.fromAux && (this.config & CONFIG_KBD_IRQ) !== 0);
    this.irq12.set(this.full && this.fromAux && (this.config & CONFIG_AUX_IRQ) !== 0);
  }
}
