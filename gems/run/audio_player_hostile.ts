import { scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { audioDrivers } from '../../os/src/test/audio_drivers.js';
import { makeTune } from '../../demo/src/lib/tune.js';

/*
 * audio_player given broken and hostile WAV files, next to one that plays the tune through
 * the mixer: each broken one logs an error naming the field and its offset and exits; the
 * good one's samples reach the card unchanged (its checksum, pinned as in audio_player).
 *   truncated.wav   the tune cut in the middle of its data chunk (the data size says more)
 *   nochannels.wav  zero channels
 *   rate.wav        a sample rate of 4294967295 Hz
 *   huge.wav        a data chunk that claims 2 GiB in a 100-byte file
 *   text.wav        not a RIFF file at all
 *   missing.wav     a ROM module that does not exist
 */
const tune = makeTune();
const patched = (edit: (v: DataView, b: Uint8Array) => void): Uint8Array => {
  const b = tune.slice(0, 100); /* the header and 56 bytes of data, sizes made to match */
  const v = new DataView(b.buffer);
  v.setUint32(4, 92, true);
  v.setUint32(40, 56, true);
  edit(v, b);
  return b;
};
const BROKEN: Record<string, Uint8Array> = {
  'truncated.wav': tune.slice(0, 20_000),
  'nochannels.wav': patched((v) => v.setUint16(22, 0, true)),
  'rate.wav': patched((v) => v.setUint32(24, 0xffffffff, true)),
  'huge.wav': patched((v) => v.setUint32(40, 0x80000000, true)),
  'text.wav': new TextEncoder().encode('this is not a sound file\n'),
};
const EXPECTED: Record<string, RegExp> = {
  'truncated.wav': /RIFF size at offset 4 says \d+ bytes, the file has 19992 after the header \(truncated\)/,
  'nochannels.wav': /zero channels \(offset 22\)/,
  'rate.wav': /sample rate 4294967295 Hz \(offset 24\) is outside 1000\.\.768000/,
  'huge.wav': /chunk "data" at offset 36 says 2147483648 bytes, only 56 are left/,
  'text.wav': /no RIFF signature at offset 0/,
  'missing.wav': /missing.wav/,
};
const names = [...Object.keys(BROKEN), 'missing.wav'];
const player = (name: string, rom: string, check = false) => `
  <start name="${name}" caps="150">
    <binary name="audio_player"/>
    <resource name="RAM" quantum="${check ? 8 : 2}M"/>
    <config rom="${rom}"${check ? ' check="yes"' : ''}/>
    <route>
      <service name="Audio_out"><child name="mixer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'audio_player_hostile: players given a truncated WAV, zero channels, an absurd rate, a chunk size past the end, a text file and a missing ROM each name the error and exit; a good player next to them plays through the mixer unchanged',
  modules: ['timer', 'platform_drv', 'audio_drv', 'mixer', 'audio_player'],
  audio: true,
  roms: { 'tune.wav': tune, ...BROKEN },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${audioDrivers()}
  <start name="mixer" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="Audio_out"/></provides>
    <config/>
    <route>
      <service name="Audio_out"><child name="audio_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${names.map((n) => player(n.replace('.wav', ''), n)).join('')}${player('good', 'tune.wav', true)}
</config>`,
  succeed: [
    ...names.map((n) => new RegExp(`\\[init -> ${n.replace('.wav', '')}\\] Error: .*${EXPECTED[n]!.source}`)),
    ...names.map((n) => new RegExp(`\\[init\\] child "${n.replace('.wav', '')}" exited with exit value 1`)),
    /\[init -> good\] audio check stereo: 66590 frames, checksum c9f0485c/,
    /\[ac97\] stereo: 66590 frames, checksum c9f0485c, as the source played them/,
    /\[init -> good\] played ROM "tune.wav": 66591 frames in 131 periods/,
  ],
  /* errors are expected from the broken players only */
  fail: /\[(?:init|ac97)(?: -> (?!truncated\]|nochannels\]|rate\]|huge\]|text\]|missing\])[^\]]*)?\] Error: /,
  timeout: '30s',
  ramMiB: 96,
});
