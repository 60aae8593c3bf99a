import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { audioDrivers } from '../src/test/audio_drivers.js';
import { expectedMix, type SignalKind } from '../src/test/audio/signal.js';

/*
 * The mixer between two clients and audio_drv on the AC'97 card: "a" plays a triangle
 * wave at the default volume (80), "b" a shorter square wave at its policy's volume (50)
 * inside it; where both are loud the sum clips. The card's checksum of what it
 * played must equal the one computed here (and by the sources) with the mixer's rule
 * (os/src/server/mixer/mix.ts: the volume-scaled sum, clamped once to [-1, 1]).
 * mixer_hostile adds a client that scribbles, submits NaN and infinities, stalls and
 * leaves; the checksum stays the same.
 */

export const SOURCES: Array<{ label: string; kind: SignalKind; periods: number; volume: number }> = [
  { label: 'a', kind: 'triangle', periods: 200, volume: 80 },
  { label: 'b', kind: 'square', periods: 150, volume: 50 },
];

export function mixerConfig(extra = ''): string {
  const sources = SOURCES.map((s) => `<source label="${s.label}" kind="${s.kind}" periods="${s.periods}" volume="${s.volume}"/>`).join(' ');
  return `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${audioDrivers()}
  <start name="mixer" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="Audio_out"/></provides>
    <config>
      <default volume="80" out_volume="100"/>
      <policy label="sources -> b" volume="50"/>
    </config>
    <route>
      <service name="Audio_out"><child name="audio_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="sources" caps="100">
    <binary name="test-audio_source"/>
    <resource name="RAM" quantum="4M"/>
    <config out_volume="100"> ${sources} </config>
    <route>
      <service name="Audio_out"><child name="mixer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${extra}
</config>`;
}

const expected = expectedMix(SOURCES).toString();

export function mixerSucceed(): RegExp[] {
  return [
    /\[init -> mixer\] mixing into the driver's left and right channels, default volume 80, output volume 100/,
    /\[init -> mixer\] client "sources -> b" channel right: volume 50/,
    new RegExp(`\\[init -> sources\\] audio check ${expected}`),
    /\[init -> sources\] all sources played/,
    new RegExp(`\\[ac97\\] ${expected}, as the source played them`),
  ];
}

export default scenario({
  description: 'mixer: two clients (a triangle at the default volume, a square at its policy\'s) mixed into audio_drv on the AC\'97 card; the card\'s checksum equals the mix computed with the clipping rule',
  modules: ['timer', 'platform_drv', 'audio_drv', 'mixer', 'test-audio_source'],
  audio: true,
  config: mixerConfig(),
  succeed: mixerSucceed(),
  fail: ERROR_LINE,
  timeout: '30s',
});
