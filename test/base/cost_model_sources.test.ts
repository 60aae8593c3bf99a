/*
 * The cost model predicts the published IPC figures, so none of its charges may come from
 * them: every charge carries a citation, no citation names a figure the model is checked
 * against, and every prediction is profile x counts (recomputed here independently).
 */
import test from 'ava';
import { HARDWARE_PROFILES, COMMON_PROFILE } from '../../base/src/cost/hardware_profiles.js';
import { PRIMITIVES, type HardwareProfile } from '../../base/src/cost/hardware_profile.js';
import type { KernelRecipes, OperationRecipe } from '../../base/src/cost/operation_recipe.js';
import { NOVA_COSTS } from '../../base-nova/src/kernel/cost_model.js';
import { FIASCO_COSTS } from '../../base-fiasco/src/kernel/cost_model.js';
import { OKL4_COSTS } from '../../base-okl4/src/kernel/cost_model.js';
import { KERNEL_RECIPES } from '../../tool/cost/kernel_recipes.js';
import { PUBLISHED_FIGURES } from '../../tool/cost/published_figures.js';
import { predictions } from '../../tool/cost/predictions.js';

/** Every citation a charge rests on, with where it sits. */
function chargeSources(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const p of HARDWARE_PROFILES) {
    out.push([`${p.id}.taggedTlb`, p.taggedTlb.source]);
    for (const prim of PRIMITIVES) out.push([`${p.id}.${prim}`, p.primitives[prim].source]);
  }
  for (const k of Object.values(KERNEL_RECIPES)) {
    out.push([`${k.kernel}.usesTaggedTlb`, k.usesTaggedTlb.source]);
    for (const [op, r] of Object.entries<OperationRecipe>(k.operations)) out.push([`${k.kernel}.${op}`, r.source]);
  }
  return out;
}

/** An identifier as a whole word (a number inside another number is not a match). */
function names(text: string, id: string): boolean {
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${esc}($|[^\\w])`, 'i').test(text);
}

test('every charge has a citation and a unit', (t) => {
  for (const [where, source] of chargeSources()) t.true(source.trim().length > 10, `${where} has no citation`);
  for (const p of HARDWARE_PROFILES) {
    for (const prim of PRIMITIVES) {
      const s = p.primitives[prim];
      t.true(Number.isFinite(s.value) && s.value >= 0, `${p.id}.${prim}`);
      t.is(s.unit, 'core cycles', `${p.id}.${prim}`);
      t.true(['measured', 'manual', 'estimate'].includes(s.evidence), `${p.id}.${prim}`);
      /* an estimate says so in its citation */
      if (s.evidence === 'estimate') t.regex(s.source, /estimate/i, `${p.id}.${prim}`);
    }
  }
});

test('no charge\'s source names a published figure the model is checked against', (t) => {
  const offenders: string[] = [];
  for (const f of PUBLISHED_FIGURES) {
    t.true(f.identifiers.length > 0, `${f.id} names no identifiers`);
    t.true(f.identifiers.includes(String(f.coreCycles)) || f.identifiers.includes(String(f.published.value)), `${f.id}: its own value is not among its identifiers`);
    for (const [where, source] of chargeSources()) {
      for (const id of f.identifiers) if (names(source, id)) offenders.push(`${where} cites "${id}" (${f.id})`);
    }
  }
  t.deepEqual(offenders, []);
});

test('the check itself finds a charge derived from a figure', (t) => {
  const fiasco = PUBLISHED_FIGURES.find((f) => f.id === 'fiasco-inter')!;
  t.true(fiasco.identifiers.some((id) => names('inter minus intra-task IPC, 392 - 173 TSC ticks', id)));
  t.false(fiasco.identifiers.some((id) => names('a 4-level walk, about 20 cycles', id)));
});

/* The pricing, written again here rather than imported, so a mistake in one shows. */
function price(recipe: OperationRecipe, profile: HardwareProfile, kernel: KernelRecipes<string>): number {
  const tagged = kernel.usesTaggedTlb[profile.arch] && profile.taggedTlb.value === 1;
  let c = recipe.instructions * profile.primitives.instruction.value;
  for (const [prim, n] of Object.entries(recipe.primitives)) c += n! * profile.primitives[prim as keyof typeof profile.primitives].value;
  if (!tagged) c += (recipe.untaggedTlbRefills ?? 0) * profile.primitives.tlbRefill.value;
  return Math.round(c);
}

test('the kernels charge their recipes priced on the common profile', (t) => {
  const charged: Record<string, Record<string, number>> = { nova: NOVA_COSTS, fiasco: FIASCO_COSTS, okl4: OKL4_COSTS };
  for (const k of Object.values(KERNEL_RECIPES)) {
    for (const [op, r] of Object.entries<OperationRecipe>(k.operations)) {
      t.is(charged[k.kernel]![op], price(r, COMMON_PROFILE, k), `${k.kernel}.${op}`);
    }
  }
});

test('every prediction is its figure\'s counts priced on its own profile', (t) => {
  const ps = predictions();
  t.is(ps.length, PUBLISHED_FIGURES.length);
  for (const p of ps) {
    const k = KERNEL_RECIPES[p.figure.kernel];
    const profile = HARDWARE_PROFILES.find((x) => x.id === p.figure.profile)!;
    t.truthy(profile, `${p.figure.id}: unknown profile`);
    let expected = 0;
    for (const [op, n] of Object.entries(p.figure.counts)) expected += price(k.operations[op]!, profile, k) * n;
    t.is(p.predicted, expected, p.figure.id);
    t.is(p.errorPercent, (expected - p.figure.coreCycles) / p.figure.coreCycles * 100, p.figure.id);
  }
});
