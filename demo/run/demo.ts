import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';
import { makeTune } from '../src/lib/tune.js';
import { displayDrivers } from '../src/lib/display_drivers.js';

/*
 * Genode's default demo: the drivers, nitpicker and launchpad with 32M, routed by the
 * default route alone (parent first, then any child), as in the slides' init config.
 * Launchpad offers scout, nitlog, liquid_fb, a nested nitpicker inside liquid_fb, nit_fb,
 * a test picture inside nit_fb, a terminal: an init with the gems terminal and the noux
 * shell on it (sh with a tty line discipline: ls, cat, echo, wc, lua, ...), and the audio
 * player with a tune made by code (demo/src/lib/tune.ts), heard through the
 * mixer, audio_drv and the machine's AC'97 card (the live display plays it in the browser).
 * Its children find services at their siblings first
 * (so everything logs to nitlog once it runs, and a scout started after the nested
 * nitpicker appears inside it); the windows that host other clients (nitlog, liquid_fb,
 * nit_fb) always go to the real nitpicker, else liquid_fb would wait for the nested
 * nitpicker that waits for liquid_fb.
 */
export const SCREEN = { width: 1024, height: 768 };

const launchpadConfig = `
    <config xpos="740" ypos="30">
      ${parentProvides(['Nitpicker', 'Timer', 'Audio_out'])}
      <default-route> <any-service> <any-child/> <parent/> </any-service> </default-route>
      <launcher name="scout" ram="4M">
        <config xpos="60" ypos="40" width="420" height="330"/>
      </launcher>
      <launcher name="nitlog" ram="1M">
        <provides><service name="LOG"/></provides>
        <config xpos="60" ypos="560" width="640" lines="14"/>
        <route> <service name="Nitpicker"><parent/></service> <any-service><any-child/><parent/></any-service> </route>
      </launcher>
      <launcher name="liquid_fb" ram="2M">
        <provides><service name="Framebuffer"/><service name="Input"/></provides>
        <config title="liquid_fb" xpos="300" ypos="180" width="400" height="300"/>
        <route> <service name="Nitpicker"><parent/></service> <any-service><any-child/><parent/></any-service> </route>
      </launcher>
      <launcher name="nitpicker" ram="2M">
        <provides><service name="Nitpicker"/></provides>
        <config background="#405060"/>
        <route>
          <service name="Framebuffer"><child name="liquid_fb"/></service>
          <service name="Input"><child name="liquid_fb"/></service>
          <any-service><any-child/><parent/></any-service>
        </route>
      </launcher>
      <launcher name="nit_fb" ram="1M">
        <provides><service name="Framebuffer"/><service name="Input"/></provides>
        <config xpos="520" ypos="420" width="200" height="150"/>
        <route> <service name="Nitpicker"><parent/></service> <any-service><any-child/><parent/></any-service> </route>
      </launcher>
      <launcher name="terminal" ram="12M" caps="600">
        <binary name="init"/>
        <config>
          ${parentProvides(['Nitpicker', 'Timer'])}
          <default-route> <any-service> <any-child/> <parent/> </any-service> </default-route>
          <start name="terminal" caps="200">
            <resource name="RAM" quantum="5M"/>
            <provides><service name="Terminal"/></provides>
            <config xpos="120" ypos="120" columns="80" lines="24" title="Terminal (noux sh)"/>
          </start>
          <start name="noux" caps="200">
            <resource name="RAM" quantum="6M"/>
            <config>
              <vfs> <dir name="dev"> <terminal/> <log/> </dir> <dir name="home"> <ram/> </dir> </vfs>
              <libc stdin="/dev/terminal" stdout="/dev/terminal" stderr="/dev/terminal" cwd="/home"/>
              <env name="HOME" value="/home"/>
              <start name="sh" tty="yes"/>
            </config>
          </start>
        </config>
        <route> <service name="Nitpicker"><parent/></service> <any-service><any-child/><parent/></any-service> </route>
      </launcher>
      <launcher name="testfb" ram="1M">
        <binary name="test-framebuffer"/>
        <route>
          <service name="Framebuffer"><child name="nit_fb"/></service>
          <any-service><any-child/><parent/></any-service>
        </route>
      </launcher>
      <launcher name="audio_player" ram="6M">
        <config rom="tune.wav" check="yes"/>
        <route> <service name="Audio_out"><parent/></service> <any-service><any-child/><parent/></any-service> </route>
      </launcher>
    </config>`;

export default scenario({
  description: 'the demo: fb_drv, ps2_drv, timer, nitpicker and launchpad (32M) with scout, nitlog, liquid_fb, nested nitpicker, nit_fb, terminal with the noux shell, audio_player (mixer, audio_drv, AC\'97); live web display with sound',
  modules: ['platform_drv', 'fb_drv', 'ps2_drv', 'timer', 'nitpicker', 'launchpad', 'scout', 'nitlog', 'liquid_fb', 'nit_fb', 'test-framebuffer', 'terminal', 'noux',
    'audio_drv', 'mixer', 'audio_player'],
  roms: { 'tune.wav': makeTune() },
  audio: true,
  config: `<config>
  ${parentProvides(['IO_MEM', 'IO_PORT', 'IRQ'])}
  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>${displayDrivers(SCREEN, `
      <policy label_prefix="audio_drv"> <device name="00:07.0"/> </policy>`)}
  <start name="audio_drv" caps="150">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Audio_out"/></provides>
    <config/>
    <route> <any-service><parent/><child name="pci_drv"/><child name="timer"/></any-service> </route>
  </start>
  <start name="mixer" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="Audio_out"/></provides>
    <config> <default volume="100" out_volume="100"/> </config>
    <route>
      <service name="Audio_out"><child name="audio_drv"/></service>
      <any-service><parent/><any-child/></any-service>
    </route>
  </start>
  <start name="nitpicker" caps="200">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Nitpicker"/></provides>
    <config xray_key="KEY_SCROLLLOCK" emergency_key="KEY_F12" background="#203040">
      <trusted label="launchpad"/>
    </config>
  </start>
  <start name="launchpad" caps="2000">
    <resource name="RAM" quantum="32M"/>${launchpadConfig}
    <route>
      <service name="Audio_out"><child name="mixer"/></service>
      <any-service><parent/><any-child/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> nitpicker\] screen 1024x768, X-ray key KEY_SCROLLLOCK, emergency key KEY_F12/,
    /\[init -> launchpad\] launchpad ready: 8 launchers/,
    /\[init -> mixer\] mixing into the driver's left and right channels/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
  ramMiB: 128,
  interactive: true,
});
