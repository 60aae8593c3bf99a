import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * The loader: test-loader hands a config ROM module and quota to a Loader session and
 * starts a subsystem that logs (checked here) and exits (fault_sigh); then one with a
 * Nitpicker view (constrained to 120x80) that the client places inside its own window
 * (the parent view, at 40,30 200x150, handed to the loader as a view capability), gives a new version of its config (a retitle) and kills. After each,
 * all the client's quota is back, and the loader's own account is as before. The screen
 * is test-loader_screen (no devices, so it runs on every kernel): it checks that the
 * view's pixels appear where the loader put them, clipped by nitpicker to the parent
 * view, and are gone after the kill.
 */
export default scenario({
  description: 'loader: a subsystem from client-supplied ROM modules and quota; a nitpicker view the client places; quota back after kill',
  modules: ['timer', 'test-loader_screen', 'nitpicker', 'loader', 'test-exit', 'test-loader', 'test-loader_view'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="screen" caps="100">
    <binary name="test-loader_screen"/>
    <resource name="RAM" quantum="1M"/>
    <config>
      <expect x="40" y="30" w="120" h="80"/> <expect x="50" y="50" w="120" h="80" click="yes" key="KEY_A"/> <expect x="190" y="130" w="50" h="50"/> <expect w="0"/>
    </config>
    <provides><service name="Framebuffer"/><service name="Input"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="nitpicker" caps="200">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Nitpicker"/></provides>
    <config/>
    <route>
      <service name="Framebuffer"><child name="screen"/></service>
      <service name="Input"><child name="screen"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="loader" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Loader"/></provides>
    <config verbose="yes">
      <policy label_prefix="test-loader"> <parent-rom name="test-exit"/> <parent-rom name="test-loader_view"/> </policy>
    </config>
    <route>
      <service name="Nitpicker"><child name="nitpicker"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-loader" caps="600">
    <resource name="RAM" quantum="8M"/>
    <config action="basic"/>
    <route>
      <service name="Loader"><child name="loader"/></service>
      <service name="Nitpicker"><child name="nitpicker"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> loader\] Loader session "test-loader -> hello": started "test-loader -> hello -> logger" \(binary "test-exit", ram 1048576, caps 100\)/,
    /\[init -> loader -> test-loader -> hello -> logger\] still alive 1/,
    /\[init -> loader -> test-loader -> hello -> logger\] still alive 3/,
    /\[init -> loader\] subsystem "test-loader -> hello -> logger" exited with exit value 0/,
    /\[init -> test-loader\] the logging subsystem ended \(fault_sigh\)/,
    /\[init -> test-loader\] logging subsystem closed: all quota came back/,
    /\[init -> loader -> test-loader -> viewer\] mode 120x80/,
    /\[init -> loader -> test-loader -> viewer\] buffer 121x80 refused: BadArgument: .*exceeds the loader's constrained geometry 120x80/,
    /\[init -> loader\] view of "test-loader -> viewer" at 0,0 120x80 in its parent view/,
    /\[init -> test-loader\] view ready: 120x80/,
    /\[init -> loader\] view of "test-loader -> viewer" at 10,20 120x80 in its parent view/,
    /\[init -> loader\] view of "test-loader -> viewer" at 150,100 120x80 in its parent view/,
    /\[init -> screen\] the view's pixels are on the screen at 40,30 120x80/,
    /\[init -> screen\] the view's pixels are on the screen at 50,50 120x80/,
    /\[init -> loader -> test-loader -> viewer\] key KEY_A/,
    /\[init -> screen\] the view's pixels are on the screen at 190,130 50x50/,
    /\[init -> loader -> test-loader -> viewer\] title "first"/,
    /\[init -> loader -> test-loader -> viewer\] title "second"/,
    /\[init -> test-loader\] view subsystem killed/,
    /\[init -> screen\] no pixel of the view is left on the screen/,
    /\[init -> test-loader\] view subsystem closed: all quota came back/,
    /\[init -> loader\] all sessions closed: the loader uses what it used before the first/,
    /\[init -> test-loader\] --- loader test done ---/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|Warning: `),
  timeout: '60s',
});
