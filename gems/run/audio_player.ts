import { readFileSync } from 'node:fs';
import { audioDrivers } from '../../os/src/test/audio_drivers.js';
import { ERROR_LINE, scenario, parentProvides, timerDriver, type Scenario } from '../../base/src/scenario.js';
import { makeTune } from '../../demo/src/lib/tune.js';

/*
 * audio_player through audio_drv on the AC'97 card. The WAV file is a ROM module of a vfs
 * server, which the player reads through a File_system session (<fs/> in its VFS) with
 * the libc file API. The player logs the checksum of the 16-bit frames the card must play
 * (check="yes"); tool/run compares the card's.
 *
 *   tool/run audio_player                                   the tune made by code (tune.ts)
 *   tool/run --param file=speech.wav --audio-out out.wav audio_player    a host file
 */
export function playerScenario(wav: Uint8Array, what: string, check = 'stereo: \\d+ frames, checksum [0-9a-f]{8}'): Scenario {
  return scenario({
    description: `audio_player: ${what} from a File_system session (vfs server) through audio_drv and the AC'97 card; the card's checksum equals the player's`,
    modules: ['timer', 'platform_drv', 'audio_drv', 'vfs', 'audio_player'],
    audio: true,
    roms: { 'sound.wav': wav },
    config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${audioDrivers()}
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs> <rom name="sound.wav"/> </vfs>
      <policy label_prefix="player" root="/" writeable="no"/>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="player" caps="150">
    <binary name="audio_player"/>
    <resource name="RAM" quantum="${Math.max(8, Math.ceil((wav.length * 6) / (1 << 20)) + 4)}M"/>
    <config file="/music/sound.wav" check="yes">
      <vfs> <dir name="music"> <fs/> </dir> </vfs>
    </config>
    <route>
      <service name="Audio_out"><child name="audio_drv"/></service>
      <service name="File_system"><child name="vfs"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
    succeed: [
      /\[init -> player\] "\/music\/sound.wav": .* frames/,
      new RegExp(`\\[init -> player\\] audio check ${check}`),
      new RegExp(`\\[ac97\\] ${check}, as the source played them`),
      /\[init -> player\] played "\/music\/sound.wav": \d+ frames in \d+ periods/,
    ],
    fail: ERROR_LINE,
    timeout: '60s',
    ramMiB: 128,
  });
}

/** tool/run --param file=PATH audio_player: a WAV file of the host instead of the tune. */
export function configure(params: Record<string, string>): Scenario {
  for (const name of Object.keys(params)) if (name !== 'file') throw new Error(`audio_player has no parameter "${name}" (file)`);
  if (params.file === undefined) return playerScenario(makeTune(), 'the tune made by code');
  return playerScenario(new Uint8Array(readFileSync(params.file)), `"${params.file}"`);
}

/* the tune's checksum pinned: a change of the tune, the decoder or the path to the card shows here */
export default playerScenario(makeTune(), 'the tune made by code', 'stereo: 66590 frames, checksum c9f0485c');
