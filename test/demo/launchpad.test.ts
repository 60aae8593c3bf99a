/* launchpad's pieces that need no system: the cascade of further instances' windows. */
import test from 'ava';
import { CASCADE, cascaded } from '../../demo/src/app/launchpad/launchpad.js';

test('a further instance opens its window moved down and right, inner nodes untouched', (t) => {
  const config = '<config xpos="60" ypos="40" width="420"><inner xpos="5"/></config>';
  t.is(cascaded(config, CASCADE), `<config xpos="${60 + CASCADE}" ypos="${40 + CASCADE}" width="420"><inner xpos="5"/></config>`);
  t.is(cascaded(config, 0), config);
  t.is(cascaded(undefined, CASCADE), undefined);
  t.is(cascaded('<config title="x"/>', CASCADE), '<config title="x"/>');
});
