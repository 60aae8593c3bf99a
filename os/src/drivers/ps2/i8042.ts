/*
 * The i8042 keyboard controller as a driver sees it through two IO_PORT sessions, data
 * (0x60) and status/command (0x64). Initialisation polls (interrupts stay off until the
 * devices are set up): self-test, port tests, keyboard reset with scan code set 2 that the
 * controller translates to set 1, mouse reset with the IntelliMouse knock for a wheel,
 * streaming on; then the keyboard and mouse interrupts are enabled. Afterwards `drain`
 * reads whatever the controller holds and tells keyboard bytes from mouse bytes by the
 * status register's AUX bit.
 */
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';

export const I8042_DATA_PORT = 0x60;
export const I8042_STATUS_PORT = 0x64;
export const KEYBOARD_IRQ = 1;
export const MOUSE_IRQ = 12;

const STATUS_OBF = 0x01;
const STATUS_IBF = 0x02;
const STATUS_AUX = 0x20;

const CONFIG_KBD_IRQ = 0x01;
const CONFIG_AUX_IRQ = 0x02;
const CONFIG_KBD_DISABLED = 0x10;
const CONFIG_AUX_DISABLED = 0x20;
const CONFIG_TRANSLATE = 0x40;

const CMD_READ_CONFIG = 0x20;
const CMD_WRITE_CONFIG = 0x60;
const CMD_DISABLE_AUX = 0xa7;
const CMD_ENABLE_AUX = 0xa8;
const CMD_TEST_AUX = 0xa9;
const CMD_SELF_TEST = 0xaa;
const CMD_TEST_KBD = 0xab;
const CMD_DISABLE_KBD = 0xad;
const CMD_ENABLE_KBD = 0xae;
const CMD_WRITE_AUX = 0xd4;

const ACK = 0xfa;
const RESEND = 0xfe;
const SELF_TEST_OK = 0x55;
const BAT_OK = 0xaa;
const WHEEL_MOUSE_ID = 0x03;

/** Polls of the status register before the controller counts as not answering. */
const POLL_LIMIT = 1000;
/** Bytes read by one drain at most, so a babbling device cannot keep the driver busy. */
const DRAIN_LIMIT = 256;

export interface I8042Devices {
  keyboard: boolean;
  mouse: boolean;
  /** The mouse sends 4-byte packets with a wheel. */
  wheel: boolean;
}

export class I8042Error extends Error {
  override name = 'I8042Error';
}

export class I8042 {
  constructor(private readonly data: IoPortSession, private readonly control: IoPortSession) {}

  private status(): Promise<number> {
    return this.control.inb(I8042_STATUS_PORT);
  }

  private async waitWritable(what: string): Promise<void> {
    for (let i = 0; i < POLL_LIMIT; i++) if (!((await this.status()) & STATUS_IBF)) return;
    throw new I8042Error(`i8042: input buffer stays full (${what})`);
  }

  private async command(cmd: number): Promise<void> {
    await this.waitWritable(`command 0x${cmd.toString(16)}`);
    await this.control.outb(I8042_STATUS_PORT, cmd);
  }

  private async write(byte: number): Promise<void> {
    await this.waitWritable(`data 0x${byte.toString(16)}`);
    await this.data.outb(I8042_DATA_PORT, byte);
  }

  private async read(what: string): Promise<number> {
    for (let i = 0; i < POLL_LIMIT; i++) if ((await this.status()) & STATUS_OBF) return this.data.inb(I8042_DATA_PORT);
    throw new I8042Error(`i8042: no answer to ${what}`);
  }

  private async flush(): Promise<void> {
    for (let i = 0; i < DRAIN_LIMIT && (await this.status()) & STATUS_OBF; i++) await this.data.inb(I8042_DATA_PORT);
  }

  /** A controller command with a one-byte reply. */
  private async query(cmd: number): Promise<number> {
    await this.command(cmd);
    return this.read(`command 0x${cmd.toString(16)}`);
  }

  private async writeConfig(config: number): Promise<void> {
    await this.command(CMD_WRITE_CONFIG);
    await this.write(config);
  }

  /** Sends a byte to the keyboard (or through 0xD4 to the mouse) and waits for its ack, resending on request. */
  private async device(aux: boolean, byte: number): Promise<void> {
    const what = `${aux ? 'mouse' : 'keyboard'} command 0x${byte.toString(16)}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (aux) await this.command(CMD_WRITE_AUX);
      await this.write(byte);
      const reply = await this.read(what);
      if (reply === ACK) return;
      if (reply !== RESEND) throw new I8042Error(`i8042: ${what} answered 0x${reply.toString(16)}`);
    }
    throw new I8042Error(`i8042: ${what} not accepted after 3 attempts`);
  }

  async init(): Promise<I8042Devices> {
    await this.command(CMD_DISABLE_KBD);
    await this.command(CMD_DISABLE_AUX);
    await this.flush();
    let config = await this.query(CMD_READ_CONFIG);
    const selfTest = await this.query(CMD_SELF_TEST);
    if (selfTest !== SELF_TEST_OK) throw new I8042Error(`i8042: self-test failed (0x${selfTest.toString(16)})`);
    /* no interrupts while polling, translation to set 1 on */
    config = (config & ~(CONFIG_KBD_IRQ | CONFIG_AUX_IRQ)) | CONFIG_TRANSLATE;
    await this.writeConfig(config);
    const keyboard = (await this.query(CMD_TEST_KBD)) === 0;
    const mouse = (await this.query(CMD_TEST_AUX)) === 0;

    if (keyboard) {
      await this.command(CMD_ENABLE_KBD);
      await this.device(false, 0xff); // reset
      if ((await this.read('keyboard reset')) !== BAT_OK) throw new I8042Error('i8042: keyboard self-test failed');
      await this.device(false, 0xf0); // scan code set ...
      await this.device(false, 0x02); // ... 2, translated to set 1 by the controller
      await this.device(false, 0xf4); // scanning on
    }
    let wheel = false;
    if (mouse) {
      await this.command(CMD_ENABLE_AUX);
      await this.device(true, 0xff); // reset: BAT result and id follow the ack
      if ((await this.read('mouse reset')) !== BAT_OK) throw new I8042Error('i8042: mouse self-test failed');
      await this.read('mouse id');
      for (const rate of [200, 100, 80]) { // the IntelliMouse knock
        await this.device(true, 0xf3);
        await this.device(true, rate);
      }
      await this.device(true, 0xf2);
      wheel = (await this.read('mouse id')) === WHEEL_MOUSE_ID;
      await this.device(true, 0xf4); // streaming on
    }
    config &= ~(CONFIG_KBD_DISABLED | CONFIG_AUX_DISABLED | CONFIG_KBD_IRQ | CONFIG_AUX_IRQ);
    if (!keyboard) config |= CONFIG_KBD_DISABLED;
    if (!mouse) config |= CONFIG_AUX_DISABLED;
    config |= (keyboard ? CONFIG_KBD_IRQ : 0) | (mouse ? CONFIG_AUX_IRQ : 0);
    await this.writeConfig(config);
    return { keyboard, mouse, wheel };
  }

  /** Reads every byte the controller holds, each to the device it came from. */
  async drain(keyboard: (byte: number) => void, mouse: (byte: number) => void): Promise<void> {
    for (let i = 0; i < DRAIN_LIMIT; i++) {
      const st = await this.status();
      if (!(st & STATUS_OBF)) return;
      const byte = await this.data.inb(I8042_DATA_PORT);
      if (st & STATUS_AUX) mouse(byte);
      else keyboard(byte);
    }
  }
}
