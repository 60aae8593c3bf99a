import test from 'ava';
import { View, ViewStack, type ViewOwner } from '../../os/src/server/nitpicker/view_stack.js';

const owner = (label: string): ViewOwner => ({ label, pixelBuffer: undefined });

function view(o: ViewOwner, handle: number, x: number, y: number, w: number, h: number, parent?: View): View {
  const v = new View(o, handle);
  v.asked = { x, y, w, h };
  if (parent) {
    v.parent = parent;
    parent.children.add(v);
  }
  v.layout();
  return v;
}

test('a child view is placed relative to its parent and clipped to it, its buffer offset following the clip', (t) => {
  const client = owner('client');
  const sub = owner('sub');
  const p = view(client, 1, 40, 30, 200, 150);
  const c = view(sub, 1, 10, 20, 120, 80, p);
  t.deepEqual(c.rect, { x: 50, y: 50, w: 120, h: 80 });
  c.asked = { x: 150, y: 100, w: 120, h: 80 };
  c.layout();
  t.deepEqual(c.rect, { x: 190, y: 130, w: 50, h: 50 });
  c.asked = { x: -30, y: -10, w: 120, h: 80 };
  c.askedBufX = 2;
  c.layout();
  t.deepEqual(c.rect, { x: 40, y: 30, w: 90, h: 70 });
  t.deepEqual([c.bufX, c.bufY], [32, 10], 'the clipped-off part of the buffer is skipped');
  c.asked = { x: 500, y: 0, w: 10, h: 10 };
  c.layout();
  t.is(c.rect.w * c.rect.h, 0, 'outside the parent: nothing shows');
  /* the parent moves: the child moves along */
  c.asked = { x: 0, y: 0, w: 10, h: 10 };
  p.asked = { x: 100, y: 100, w: 50, h: 50 };
  p.layout();
  t.deepEqual(c.rect, { x: 100, y: 100, w: 10, h: 10 });
});

test('a child view stays directly in front of its parent, whatever either client does', (t) => {
  const stack = new ViewStack();
  const a = owner('a');
  const b = owner('b');
  const other = view(a, 1, 0, 0, 10, 10);
  const p = view(a, 2, 0, 0, 100, 100);
  stack.toFront(other);
  stack.toFront(p);
  const c = view(b, 1, 0, 0, 10, 10, p);
  stack.toFront(c);
  t.deepEqual(stack.views, [c, p, other]);
  stack.toFront(other);
  t.deepEqual(stack.views, [other, c, p]);
  stack.toFront(c);
  t.deepEqual(stack.views, [other, c, p], 'the child cannot leave its parent');
  stack.toBack(c);
  t.deepEqual(stack.views, [other, c, p]);
  stack.toFront(p);
  t.deepEqual(stack.views, [c, p, other], 'the parent takes its child along');
  stack.toBack(p);
  t.deepEqual(stack.views, [other, c, p]);
});

test('a child whose parent goes shows nothing', (t) => {
  const p = view(owner('a'), 1, 0, 0, 100, 100);
  const c = view(owner('b'), 1, 5, 5, 10, 10, p);
  t.is(c.rect.w, 10);
  p.detach();
  t.true(c.orphaned);
  t.is(c.parent, undefined);
  t.is(c.rect.w * c.rect.h, 0);
  c.asked = { x: 0, y: 0, w: 50, h: 50 };
  c.layout();
  t.is(c.rect.w * c.rect.h, 0, 'not even after a new geometry');
});
