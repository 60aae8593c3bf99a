/* The emulated kernels' operation recipes by kernel name (tool code may see every backend). */
import { NOVA_RECIPES } from '../../base-nova/src/kernel/cost_model.js';
import { FIASCO_RECIPES } from '../../base-fiasco/src/kernel/cost_model.js';
import { OKL4_RECIPES } from '../../base-okl4/src/kernel/cost_model.js';
import type { KernelRecipes } from '../../base/src/cost/operation_recipe.js';

export const KERNEL_RECIPES: Record<'nova' | 'fiasco' | 'okl4', KernelRecipes<string>> = {
  nova: NOVA_RECIPES as KernelRecipes<string>,
  fiasco: FIASCO_RECIPES as KernelRecipes<string>,
  okl4: OKL4_RECIPES as KernelRecipes<string>,
};
