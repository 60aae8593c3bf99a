/*
 * Predictions of the published IPC figures: each figure's counted path priced on the
 * hardware profile of the CPU it was measured on, and the error against the figure. The
 * error is reported whatever it is; nothing here feeds back into a charge.
 */
import { HARDWARE_PROFILES } from '../../base/src/cost/hardware_profiles.js';
import type { HardwareProfile } from '../../base/src/cost/hardware_profile.js';
import { pathCycles } from '../../base/src/cost/operation_recipe.js';
import { KERNEL_RECIPES } from './kernel_recipes.js';
import { PUBLISHED_FIGURES, type PublishedFigure } from './published_figures.js';

export interface Prediction {
  figure: PublishedFigure;
  profile: HardwareProfile;
  predicted: number;
  /** (predicted - published) / published, in per cent. */
  errorPercent: number;
}

export function profileById(id: string): HardwareProfile {
  const p = HARDWARE_PROFILES.find((x) => x.id === id);
  if (!p) throw new Error(`no hardware profile "${id}"`);
  return p;
}

export function predict(figure: PublishedFigure): Prediction {
  const profile = profileById(figure.profile);
  const predicted = pathCycles(KERNEL_RECIPES[figure.kernel], profile, figure.counts);
  return { figure, profile, predicted, errorPercent: (predicted - figure.coreCycles) / figure.coreCycles * 100 };
}

export function predictions(): Prediction[] {
  return PUBLISHED_FIGURES.map(predict);
}
