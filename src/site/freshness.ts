/** Which of a page's data breaks its freshness or completeness SLO in a snapshot (the banner every page carries). */
import type { Manifest } from '../lib/manifest.ts';
import type { Model } from '../lib/model-schema.ts';

export interface FreshnessProblem {
  /** The source (extract) that is late or incomplete. */
  source: string;
  label: string;
  latestEventDate: string | null;
  lagDays: number | null;
  sloDays: number;
  /** Late: its latest row is older than the SLO allows; incomplete: a metric it feeds failed its completeness check. */
  reason: 'late' | 'incomplete';
  /** The metrics it feeds that the page shows. */
  metrics: string[];
}

/**
 * Which of a page's data breaks its SLO in a snapshot: the sources behind
 * `metricIds` (every metric when omitted) that are late, plus any of those
 * metrics whose own freshness or completeness check failed.
 */
export function freshnessProblems(manifest: Manifest, model: Model, metricIds?: string[]): FreshnessProblem[] {
  const shown = metricIds ?? model.metrics.map((m) => m.id);
  const problems = new Map<string, FreshnessProblem>();
  for (const id of shown) {
    const metric = model.metrics.find((m) => m.id === id);
    if (!metric) continue;
    const fact = model.facts.find((f) => f.id === metric.source);
    const metricStatus = manifest.metrics.find((m) => m.id === id);
    const metricBad = metricStatus ? !metricStatus.freshnessOk || !metricStatus.completenessOk : false;
    for (const sourceId of fact?.sources ?? []) {
      const source = manifest.sources.find((s) => s.id === sourceId);
      if (!source || (source.freshnessOk && !metricBad)) continue;
      const problem = problems.get(source.id) ?? {
        source: source.id,
        label: source.label,
        latestEventDate: source.latestEventDate,
        lagDays: source.lagDays,
        sloDays: source.freshnessSloDays,
        reason: source.freshnessOk ? 'incomplete' : 'late',
        metrics: [],
      };
      if (!problem.metrics.includes(id)) problem.metrics.push(id);
      problems.set(source.id, problem);
    }
  }
  return [...problems.values()];
}
