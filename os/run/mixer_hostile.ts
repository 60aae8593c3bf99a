import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { mixerConfig, mixerSucceed } from './mixer.js';

/*
 * The mixer scenario with a hostile third client (os/src/test/audio/hostile.ts): a channel
 * that does not exist, NaN and infinities, scribbled stream positions, a queue marked
 * valid at once, a stall with started sessions, sessions closed mid-play. The honest
 * clients' mix reaches the card with the same checksum as without it.
 */
export default scenario({
  description: 'mixer_hostile: the mixer scenario plus a client that submits NaN/infinities, scribbles on its stream, stalls and leaves; the others\' mix is unchanged',
  modules: ['timer', 'platform_drv', 'audio_drv', 'mixer', 'test-audio_source', 'test-audio_hostile'],
  audio: true,
  config: mixerConfig(`
  <start name="hostile" caps="100">
    <binary name="test-audio_hostile"/>
    <resource name="RAM" quantum="4M"/>
    <config delay_ms="300" stall_ms="600"/>
    <route>
      <service name="Audio_out"><child name="mixer"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`),
  succeed: [
    ...mixerSucceed(),
    /\[init -> hostile\] channel "center" denied: .*no channel "center"/,
    /\[init -> hostile\] scribbled on pos and tail, marked the whole queue valid/,
    /\[init -> hostile\] hostile client done/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
