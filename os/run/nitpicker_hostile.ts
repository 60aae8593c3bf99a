import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/*
 * nitpicker between a victim and a hostile client, with test-nitpicker_screen as screen and
 * user: it needs no devices, so it runs on every kernel.
 */
const client = (name: string, binary: string) => `
  <start name="${name}" caps="100">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="1M"/>
    <route>
      <service name="Nitpicker"><child name="nitpicker"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'nitpicker against a hostile client: no foreign buffers or views, no input while unfocused, unspoofable X-ray labels, no memory beyond its donation; emergency key',
  modules: ['test-nitpicker_screen', 'nitpicker', 'test-nitpicker_victim', 'test-nitpicker_hostile'],
  config: `<config>
  ${parentProvides()}
  <start name="screen" caps="100">
    <binary name="test-nitpicker_screen"/>
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Framebuffer"/><service name="Input"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="nitpicker" caps="200">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Nitpicker"/></provides>
    <config xray_key="KEY_SCROLLLOCK" emergency_key="KEY_F12"><trusted label="victim"/></config>
    <route>
      <service name="Framebuffer"><child name="screen"/></service>
      <service name="Input"><child name="screen"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${client('victim', 'test-nitpicker_victim')}${client('hostile', 'test-nitpicker_hostile')}
</config>`,
  succeed: [
    /\[init -> nitpicker\] screen 320x240, X-ray key KEY_SCROLLLOCK, emergency key KEY_F12/,
    /\[init -> hostile\] 64 MiB buffer beyond the donation refused: OutOfRam/,
    /\[init -> hostile\] 64 MiB buffer paid from its own quota: OutOfRam/,
    /\[init -> hostile\] views until its donation ran out: \d+ x 512 bytes, then OutOfRam/,
    /\[init -> hostile\] 64 of 64 view handles it was never given refused \(InvalidView\)/,
    /\[init -> hostile\] a child view inside something that is no view capability refused: InvalidView/,
    /\[init -> hostile\] a fresh buffer holds no pixels of anyone else/,
    /\[init -> hostile\] attack session closed: every byte it donated came back/,
    /\[init -> screen\] X-ray label over the fake one: as expected/,
    /\[init -> screen\] X-ray menubar: as expected/,
    /\[init -> screen\] X-ray dims the unfocused hostile window/,
    /\[init -> screen\] emergency key: the trusted victim is in front again/,
    /\[init -> victim\] key KEY_A/,
    /\[init -> victim\] key KEY_C/,
    /\[init -> victim\] key KEY_D/,
    /\[init -> hostile\] first key event: KEY_Q/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|\\[init -> hostile\\] first key event: KEY_[^Q]|\\[init -> victim\\] key KEY_Q`),
  timeout: '60s',
});
