/*
 * Scenario configs share one audio-driver stack: platform_drv handing the AC'97 (00:07.0)
 * to audio_drv, which serves Audio_out.
 */
import { platformDriver } from '../../../base/src/scenario.js';

export function audioDrivers(): string {
  return `${platformDriver('<policy label="audio_drv -> audio"> <device name="00:07.0"/> </policy>')}
  <start name="audio_drv" caps="150">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Audio_out"/></provides>
    <config/>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}
