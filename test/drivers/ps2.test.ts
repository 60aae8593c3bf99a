/* ps2_drv's parts: the i8042 driver on the emulated controller, set-1 decoding, mouse packets. */
import test from 'ava';
import { I8042 } from '../../os/src/drivers/ps2/i8042.js';
import { MousePacketDecoder } from '../../os/src/drivers/ps2/mouse_packets.js';
import { ScanCodeDecoder } from '../../os/src/drivers/ps2/scan_codes.js';
import { InputEventType, readEvent, writeEvent, EVENT_BYTES, type InputEvent } from '../../os/src/session/input/event.js';
import { KEY, keyCodeName } from '../../os/src/session/input/keycodes.js';
import { Pc, scanCodes } from '../../tool/pc/index.js';
import { pcPorts } from './ports.js';

const describe = (events: InputEvent[]) => events.map((e) => ('code' in e
  ? `${e.type === InputEventType.PRESS ? 'press' : 'release'} ${keyCodeName(e.code)}`
  : 'x' in e ? `${InputEventType[e.type].toLowerCase()} ${e.x} ${e.y}` : InputEventType[e.type].toLowerCase()));

async function setup() {
  const pc = new Pc();
  const controller = new I8042(pcPorts(pc, 0x60, 1), pcPorts(pc, 0x64, 1));
  const devices = await controller.init();
  const keyboard = new ScanCodeDecoder();
  const mouse = new MousePacketDecoder(devices.wheel);
  const events: InputEvent[] = [];
  const drain = () => controller.drain((b) => events.push(...keyboard.feed(b)), (b) => events.push(...mouse.feed(b)));
  return { pc, devices, events, drain };
}

test('init finds keyboard and wheel mouse and leaves translation and both IRQs on', async (t) => {
  const { pc, devices } = await setup();
  t.deepEqual(devices, { keyboard: true, mouse: true, wheel: true });
  t.is(pc.i8042.config & 0x43, 0x43);
  t.is(pc.keyboard.scanCodeSet, 2);
  t.true(pc.mouse.reporting);
});

test('keys and mouse reach the decoders through the controller', async (t) => {
  const { pc, events, drain } = await setup();
  pc.keyboard.tap('q');
  pc.keyboard.tap('ArrowLeft');
  pc.mouse.move(-3, 4);
  pc.mouse.buttons(1);
  pc.mouse.wheel(-2);
  await drain();
  t.deepEqual(describe(events), [
    'press KEY_Q', 'release KEY_Q', 'press KEY_LEFT', 'release KEY_LEFT',
    'motion -3 4', 'press BTN_LEFT', 'wheel 0 2',
  ]);
});

test('every key of the emulated keyboard decodes to a named key code', (t) => {
  const names = ['Escape', 'Digit1', 'KeyZ', 'Space', 'F1', 'F11', 'IntlBackslash', 'NumpadEnter', 'AltRight',
    'Home', 'End', 'PageDown', 'Insert', 'MetaLeft', 'ContextMenu', 'NumpadDivide', 'Numpad5', 'PrintScreen'];
  const want = ['KEY_ESC', 'KEY_1', 'KEY_Z', 'KEY_SPACE', 'KEY_F1', 'KEY_F11', 'KEY_102ND', 'KEY_KPENTER', 'KEY_RIGHTALT',
    'KEY_HOME', 'KEY_END', 'KEY_PAGEDOWN', 'KEY_INSERT', 'KEY_LEFTMETA', 'KEY_COMPOSE', 'KEY_KPSLASH', 'KEY_KP5', 'KEY_SYSRQ'];
  names.forEach((name, i) => {
    const d = new ScanCodeDecoder();
    const events = [...scanCodes(name, 1, true), ...scanCodes(name, 1, false)].flatMap((b) => d.feed(b));
    t.deepEqual(describe(events), [`press ${want[i]}`, `release ${want[i]}`], name);
    t.is(d.unknown, 0);
  });
});

test('Pause arrives as a press and a release; acks and unknown codes are no keys', (t) => {
  const d = new ScanCodeDecoder();
  t.deepEqual(describe(scanCodes('Pause', 1, true).flatMap((b) => d.feed(b))), ['press KEY_PAUSE', 'release KEY_PAUSE']);
  t.deepEqual([0xfa, 0xfe, 0xee].flatMap((b) => d.feed(b)), []);
  t.deepEqual(d.feed(0x59), []);
  t.is(d.unknown, 1);
});

test('mouse packets: sign bits, overflow, resync after a lost byte', (t) => {
  const m = new MousePacketDecoder();
  t.deepEqual(describe([0x38, 0xff, 0xfe].flatMap((b) => m.feed(b))), ['motion -1 2']);
  t.deepEqual(describe([0x48, 0x10, 0x10].flatMap((b) => m.feed(b))), []); // X overflow: motion dropped
  t.deepEqual([0x10].flatMap((b) => m.feed(b)), []); // bit 3 clear: not a packet start
  t.is(m.resyncs, 1);
  t.deepEqual(describe([0x0a, 0, 0, 0x0c, 0, 0].flatMap((b) => m.feed(b))), ['press BTN_RIGHT', 'release BTN_RIGHT', 'press BTN_MIDDLE']);
});

test('events survive the event buffer', (t) => {
  const buf = new Uint8Array(EVENT_BYTES * 3);
  const events: InputEvent[] = [
    { type: InputEventType.PRESS, code: KEY.BTN_LEFT! },
    { type: InputEventType.MOTION, x: -7, y: 300 },
    { type: InputEventType.WHEEL, x: 0, y: -1 },
  ];
  events.forEach((e, i) => writeEvent(buf, i, e));
  t.deepEqual(events.map((_, i) => readEvent(buf, i)), events);
  buf[0] = 99;
  t.throws(() => readEvent(buf, 0), { message: /unknown type 99/ });
});
