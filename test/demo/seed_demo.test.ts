/*
 * seed_demo's config is the seed slide's, byte for byte, and every component it starts
 * reads init's config (theirs, for want of a <config>) without tripping over init's nodes,
 * while values of nodes they know stay checked.
 */
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { XmlNode } from '../../base/src/util/xml_node.js';
import { parseLaunchpadConfig } from '../../demo/src/app/launchpad/config.js';
import { SEED_CONFIG } from '../../demo/run/seed_demo.js';
import { readConfig as readFbConfig } from '../../os/src/drivers/framebuffer/main.js';
import { PolicyTable } from '../../os/src/drivers/platform/policy.js';
import { parseInitConfig } from '../../os/src/init/config_model.js';
import { parseConfig as parseNitpickerConfig } from '../../os/src/server/nitpicker/config.js';

const ROOT = new URL('../../../', import.meta.url);
/* The slide's "Configuration" section as the slides' text has it (test/demo/seed_slide_configuration.txt). */
const SECTION = readFileSync(new URL('test/demo/seed_slide_configuration.txt', ROOT), 'utf8');
/* The seed itself, where the project's shared files are (not part of the repository). */
const SLIDES = '/work/shared/seed/genode-summer-school-slides.txt';

/** The lines between the first ``` fence and the next one, joined by "\n". */
function codeBlock(text: string): string {
  const lines = text.split('\n');
  const open = lines.indexOf('```');
  const close = lines.indexOf('```', open + 1);
  if (open < 0 || close < 0) throw new Error('no ``` fenced block');
  return lines.slice(open + 1, close).join('\n');
}

test('the kept slide section is the slides\' own text', (t) => {
  if (!existsSync(SLIDES)) {
    t.log(`${SLIDES} is absent: the kept copy is checked alone`);
    t.true(SECTION.startsWith('# Configuration\n'));
    return;
  }
  t.true(readFileSync(SLIDES, 'utf8').includes(SECTION));
});

test('seed_demo\'s config is the slide\'s code block byte for byte, indentation included', (t) => {
  t.is(SEED_CONFIG, codeBlock(SECTION));
  t.true(SEED_CONFIG.startsWith('<config>\n  <parent-provides>\n    <service name="ROM"/>      <service name="RAM"/>'));
});

test('init accepts the seed config: default caps, the default route, RAM quanta only', (t) => {
  const c = parseInitConfig(SEED_CONFIG);
  t.deepEqual(c.starts.map((s) => [s.name, s.binary, s.ram, s.caps, s.provides]), [
    ['pci_drv', 'pci_drv', 1 << 20, 100, ['PCI']],
    ['vesa_drv', 'vesa_drv', 1 << 20, 100, ['Framebuffer']],
    ['ps2_drv', 'ps2_drv', 1 << 20, 100, ['Input']],
    ['timer', 'timer', 1 << 20, 100, ['Timer']],
    ['nitpicker', 'nitpicker', 1 << 20, 100, ['Nitpicker']],
    ['launchpad', 'launchpad', 32 << 20, 100, []],
  ]);
  t.true(c.starts.every((s) => s.config === undefined));
  t.deepEqual([...c.parentProvides], ['ROM', 'RAM', 'IRQ', 'IO_MEM', 'IO_PORT', 'CAP', 'PD', 'RM', 'CPU', 'LOG']);
});

test('init still refuses init config it does not support', (t) => {
  t.throws(() => parseInitConfig(SEED_CONFIG.replace('</config>', '<affinity-space width="2"/></config>')), { message: /affinity-space.*not supported by this init/ });
  t.throws(() => parseInitConfig(SEED_CONFIG.replace('</config>', '<bogus/></config>')), { message: /unknown node in <config>/ });
});

test('nitpicker, launchpad, vesa_drv and pci_drv read init\'s config as theirs', (t) => {
  const nit = parseNitpickerConfig(SEED_CONFIG);
  t.is(nit.background, 0x203040);
  t.false(nit.trusted('launchpad'));
  const lp = parseLaunchpadConfig(SEED_CONFIG);
  t.deepEqual(lp.launchers, []);
  t.deepEqual([lp.x, lp.y], [550, 150]);
  t.true(lp.parentProvides.has('LOG'));
  t.deepEqual(readFbConfig(SEED_CONFIG), { width: 1024, height: 768, buffered: false });
  const policies = PolicyTable.parse(XmlNode.parse(SEED_CONFIG));
  t.true(policies.empty);
  t.is(policies.select('vesa_drv'), undefined);
});

test('values of nodes they know stay checked next to unknown nodes', (t) => {
  const withRoot = (attrs: string, inner = '') => SEED_CONFIG.replace('<config>', `<config ${attrs}>${inner}`);
  t.throws(() => parseNitpickerConfig(withRoot('background="red"')), { message: /background="red" is not a colour/ });
  t.throws(() => parseNitpickerConfig(withRoot('', '<trusted/>')), { message: /needs label, label_prefix or label_suffix/ });
  t.throws(() => parseLaunchpadConfig(withRoot('', '<launcher name="scout"/>')), { message: /no RAM quantum/ });
  t.throws(() => readFbConfig(withRoot('width="0"')), { message: /mode 0x768 is empty/ });
  t.throws(() => PolicyTable.parse(XmlNode.parse(withRoot('', '<policy label="x"><pci class="GPU"/></policy>'))), { message: /unknown PCI class "GPU"/ });
});
