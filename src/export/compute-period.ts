/**
 * One period's snapshot, computed: its sources as the period sees them and
 * their timeliness, its facts and their fingerprints, every metric (reusing
 * an earlier snapshot's values where the rows are the same), the checks,
 * and the manifest. A failing check stops the export before anything is
 * written.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Manifest } from '../lib/manifest.ts';
import { GRAINS, type Model } from '../lib/model-schema.ts';
import { sqlIdentifier } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import type { LoadedModel } from '../node/load-model.ts';
import { checkMetrics } from './checks/metric-checks.ts';
import { sourceTimeliness } from './checks/timeliness.ts';
import type { Effects } from './effects.ts';
import { ExportError } from './errors.ts';
import { buildFacts } from './facts.ts';
import { fingerprintFacts } from './fingerprints.ts';
import { computeMetrics, type Reuse } from './metrics.ts';
import { monthBounds, periodViews } from './periods.ts';
import type { SourceFile } from './sources/files.ts';

export async function computePeriod(
  db: DuckDBConnection,
  { model, where }: LoadedModel,
  files: Map<string, SourceFile[]>,
  period: string,
  sourceChecks: Manifest['checks'],
  context: {
    inputs: string;
    modelFiles: Manifest['model'];
    root: string;
    effects: Effects;
    timing: (step: string) => void;
    partRows: number | undefined;
    /** An earlier snapshot whose values of unchanged periods can be reused (see loadPrevious). */
    previous: string | null;
  },
): Promise<Manifest> {
  const { periodStart, periodEnd } = monthBounds(period);
  await periodViews(db, model, period);
  const checks = [...sourceChecks];
  const sources: Manifest['sources'] = [];
  for (const source of model.sources) {
    const timeliness = await sourceTimeliness(db, source, periodEnd);
    checks.push(...timeliness.checks);
    const [count] = await queryRows(db, `SELECT count(*) AS n FROM ${sqlIdentifier(source.id)}`);
    sources.push({
      id: source.id,
      label: source.label,
      files: files.get(source.id)!.filter((f) => f.delivered === null || f.delivered <= period),
      rows: Number(count?.n),
      latestEventDate: timeliness.latest,
      lagDays: timeliness.lagDays,
      freshnessSloDays: source.slo.freshnessDays,
      freshnessOk: timeliness.fresh,
    });
  }
  context.timing(`${period} views and timeliness`);
  await buildFacts(db, model, where);
  context.timing(`${period} facts`);
  await fingerprintFacts(db, model);
  context.timing(`${period} fingerprints`);
  // PLOTLINE_EXPORT_TIMING=2 also times each metric query.
  const computed = await computeMetrics(db, model, where, {
    partRows: context.partRows,
    reuse: context.previous !== null,
    log: process.env.PLOTLINE_EXPORT_TIMING === '2' ? context.effects.log : undefined,
  });
  const reuse = reuseOf(context.previous, model, computed);
  if (reuse) context.effects.log(reuseSummary(period, reuse, computed));
  else if (context.previous !== null) context.effects.log(`${period}: every month and week changed since snapshot ${context.previous} (or too many rows to compute them apart); computed everything.`);
  context.timing(`${period} metrics`);
  const metricChecks = await checkMetrics(db, model);
  context.timing(`${period} metric checks`);
  checks.push(...metricChecks);
  stopOnFailures(checks, `snapshot ${period}`);
  for (const warning of checks.filter((c) => c.status === 'warn')) context.effects.log(`${period} warning: ${warning.source}: ${warning.detail}`);

  const metrics = model.metrics.map((metric) => {
    const fact = model.facts.find((f) => f.id === metric.source)!;
    const own = sources.filter((s) => fact.sources.includes(s.id));
    const dates = own.map((s) => s.latestEventDate).filter((d): d is string => d !== null).sort();
    return {
      id: metric.id,
      latestDataDate: dates[0] ?? null,
      freshnessOk: own.every((s) => s.lagDays !== null && s.lagDays <= metric.slo.freshnessDays),
      completenessOk: metricChecks.some((c) => c.source === metric.id && c.name === 'completeness' && c.status === 'pass'),
    };
  });
  const [version] = await queryRows(db, 'SELECT version() AS v');
  return {
    id: period,
    period,
    periodStart,
    periodEnd,
    created: context.effects.now().toISOString(),
    engine: `DuckDB ${String(version?.v)}`,
    inputs: context.inputs,
    model: context.modelFiles,
    sources,
    tables: [],
    metrics,
    checks,
    reuse,
  };
}

/**
 * What a period took from an earlier snapshot and what it computed, for the
 * manifest (see Manifest['reuse']); null when it took nothing.
 */
function reuseOf(previous: string | null, model: Model, computed: Map<string, Reuse>): Manifest['reuse'] {
  if (previous === null) return null;
  const counts = [...computed].flatMap(([fact, reuse]) => GRAINS.filter((grain) => reuse[grain].periods > 0).map((grain) => ({ fact, grain, ...reuse[grain] })));
  if (counts.every((c) => c.computed === c.periods)) return null;
  return { from: previous, computed: counts, whole: model.facts.filter((f) => !computed.has(f.id) && model.metrics.some((m) => m.source === f.id)).map((f) => f.id) };
}

/** The same as one line, e.g. "2026-10: computed only what changed since snapshot 2026-09 (…): events 2 of 43 months and 9 of 187 weeks; …". */
function reuseSummary(period: string, reuse: NonNullable<Manifest['reuse']>, computed: Map<string, Reuse>): string {
  const facts = [...computed.keys()].map((fact) => {
    const grains = reuse.computed.filter((c) => c.fact === fact).map((c) => `${c.computed} of ${c.periods} ${c.grain}s`);
    return `${fact} ${grains.length > 0 ? grains.join(' and ') : 'no rows'}`;
  });
  return (
    `${period}: computed only what changed since snapshot ${reuse.from} (same metric SQL, same rows elsewhere): ${facts.join('; ')}` +
    `${reuse.whole.length > 0 ? `; ${reuse.whole.join(', ')} computed whole (too much changed)` : ''}. The other values were taken from ${reuse.from}.`
  );
}

export function stopOnFailures(checks: Manifest['checks'], what: string): void {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) {
    throw new ExportError(`The export stopped: ${what} failed ${failed.length === 1 ? 'a check' : `${failed.length} checks`}, so no snapshot was written or changed.\n${failed.map((c) => `  ${c.source}: ${c.detail}`).join('\n')}`);
  }
}
