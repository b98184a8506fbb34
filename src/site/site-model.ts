/**
 * The semantic model as pages see it: loaded once per build from
 * data/model/, with lookups that fail with the list of what exists, so a
 * typo in a story names the metrics it could have meant.
 */
import type { Metric, Model } from '../lib/model-schema.ts';
import { loadModel } from '../node/load-model.ts';

let cached: Model | undefined;

/** The model (data/model/*.yaml), loaded and checked once per build. */
export function siteModel(): Model {
  cached ??= loadModel(process.cwd()).model;
  return cached;
}

/** Forgets the loaded model (dev reloads after a model edit; tests). */
export function resetSiteModel(): void {
  cached = undefined;
}

/** A metric by id, or an error listing the known ids. */
export function findMetric(id: string, model: Model = siteModel()): Metric {
  const metric = model.metrics.find((m) => m.id === id);
  if (!metric) {
    throw new Error(`unknown metric "${id}". Metrics in data/model/metrics.yaml: ${model.metrics.map((m) => m.id).join(', ')}.`);
  }
  return metric;
}

/** The north-star metric. */
export function northStar(model: Model = siteModel()): Metric {
  return model.metrics.find((m) => m.northStar)!;
}

/** The metric a metric drives (its parent in the tree), if any. */
export function parentOf(id: string, model: Model = siteModel()): Metric | undefined {
  return model.metrics.find((m) => m.tree?.drivers.includes(id));
}
