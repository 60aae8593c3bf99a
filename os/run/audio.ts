import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { audioDrivers } from '../src/test/audio_drivers.js';

/*
 * A source plays a known signal through audio_drv and the machine's AC'97 card: 300
 * periods (about 3.5 s) of a 440 Hz sine on the left and a clipping saw on the right, as
 * two Audio_out sessions. The source logs the checksum of the 16-bit frames the card must
 * play; tool/run sums what the card fetched by DMA and compares: the samples reached the
 * card's buffers unchanged, in order, and clipped as Genode's drivers clip.
 */

export interface AudioSource { name: string; config: string; binary?: string }

/** platform_drv, timer, audio_drv on the AC'97 card and the given sources as its clients. */
export function audioConfig(sources: AudioSource[]): string {
  const source = (s: AudioSource) => `
  <start name="${s.name}" caps="100">
    <binary name="${s.binary ?? 'test-audio_out'}"/>
    <resource name="RAM" quantum="4M"/>
    ${s.config}
    <route>
      <service name="Audio_out"><child name="audio_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
  return `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${audioDrivers()}${sources.map(source).join('')}
</config>`;
}

export default scenario({
  description: 'audio: a source plays a 440 Hz sine (left) and a clipping saw (right) through audio_drv and the AC\'97 card (BDL, DMA, IRQs); the frames the card fetched have the checksum the source computed',
  modules: ['timer', 'platform_drv', 'audio_drv', 'test-audio_out'],
  audio: true,
  config: audioConfig([{ name: 'source', config: '<config periods="300" channels="stereo"/>' }]),
  succeed: [
    /\[init -> audio_drv\] 00:07\.0 8086:2415 AC'97, 44100 Hz, 16-bit stereo/,
    /\[init -> source\] audio check stereo: 153598 frames, checksum 4d2488e5/,
    /\[ac97\] stereo: 153598 frames, checksum 4d2488e5, as the source played them/,
    /\[init -> source\] sessions closed/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
