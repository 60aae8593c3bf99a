import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { audioConfig } from './audio.js';

/*
 * audio_drv against a hostile Audio_out client on the left channel (refused sessions,
 * scribbled positions, every packet valid with NaN / infinite / huge samples, a flood of
 * data_avail signals, start/stop in quick succession, then no more packets with the
 * session kept started) while an honest source plays 200 periods on the right channel:
 * the card still plays the honest channel's frames unchanged and in order.
 */
export default scenario({
  description: 'audio_hostile: a hostile Audio_out client (scribbled positions, garbage samples, signal flood, start/stop, then silence) next to an honest one; audio_drv survives and the honest channel reaches the card unchanged',
  modules: ['timer', 'platform_drv', 'audio_drv', 'test-audio_out', 'test-audio_out_hostile'],
  audio: true,
  config: audioConfig([
    { name: 'hostile', binary: 'test-audio_out_hostile', config: '<config channel="front left" scribble_ms="500"/>' },
    { name: 'source', config: '<config periods="200" channels="right"/>' },
  ]),
  succeed: [
    /\[init -> hostile\] a session with 8 KiB of RAM quota refused: InsufficientRamQuota/,
    /\[init -> hostile\] channel "center" refused: ServiceDenied/,
    /\[init -> hostile\] a second session on "front left" refused: ServiceDenied/,
    /\[init -> hostile\] stopped feeding, session kept open and started/,
    /\[init -> source\] audio check right: 101888 frames, checksum 93a3fc45/,
    /\[ac97\] right: 101888 frames, checksum 93a3fc45, as the source played them/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
