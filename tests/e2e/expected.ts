/**
 * What the site's pages should show, worked out independently of the site's
 * code: the model read straight from data/model/*.yaml, stories from the MDX
 * files, numbers by native DuckDB over the built site's own Parquet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');
export const dist = join(import.meta.dirname, '.dist');
export const LATEST: string = JSON.parse(readFileSync(join(dist, 'data/snapshots/latest.json'), 'utf8')).period;

export interface ModelMetric {
  id: string;
  label: string;
  description: string;
  owner: string;
  unit: 'count' | 'currency' | 'percent' | 'ratio' | 'duration';
  direction: 'up' | 'down';
  northStar?: boolean;
  source: string;
  expression: string;
  dimensions?: string[];
  tree?: { relation: string; drivers: string[] };
}

const yaml = (file: string) => parse(readFileSync(join(root, 'data/model', file), 'utf8'));
export const metrics: ModelMetric[] = yaml('metrics.yaml').metrics;
export const strategy: {
  vision: string;
  goals: { id: string; title: string; metric: string; target: number; by: string }[];
  hypotheses: { id: string; initiative: string; goal: string; metric: string; since: string }[];
} = yaml('strategy.yaml');
export const sources: { id: string; label: string }[] = yaml('sources.yaml').sources;
export const facts: { id: string; sources: string[] }[] = yaml('facts.yaml').facts;
export const businessLines: string[] = yaml('calendar.yaml').businessLines.map((l: { id: string }) => l.id);
export const metric = (id: string) => metrics.find((m) => m.id === id)!;

export interface Story {
  slug: string;
  title: string;
  date: string;
  period: string;
  metrics: string[];
  draft: boolean;
  decisions: { what: string; by: string; date: string; metric: string; expected: string }[];
}

/** Every MDX story: frontmatter, plus the `<Decision … />` elements in its body. */
export const stories: Story[] = readdirSync(join(root, 'src/stories'))
  .filter((f) => f.endsWith('.mdx'))
  .map((file) => {
    const text = readFileSync(join(root, 'src/stories', file), 'utf8');
    const front = parse(text.match(/^---\n([\s\S]*?)\n---/)![1]!);
    const decisions = [...text.matchAll(/<Decision\b([\s\S]*?)\/>/g)].map(([, attrs]) => {
      const attr = (name: string) => attrs!.match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? '';
      return { what: attr('what'), by: attr('by'), date: attr('date'), metric: attr('metric'), expected: attr('expected') };
    });
    return {
      slug: file.replace(/\.mdx$/, ''),
      title: front.title,
      date: String(front.date instanceof Date ? front.date.toISOString().slice(0, 10) : front.date),
      period: String(front.period),
      metrics: front.metrics ?? [],
      draft: front.draft ?? false,
      decisions,
    };
  })
  .filter((s) => !s.draft);

let connection: Promise<Awaited<ReturnType<DuckDBInstance['connect']>>> | undefined;

/** Rows from the latest snapshot's metrics table (in the built site). */
export async function query(sql: string, values: (string | number | null)[] = []): Promise<Record<string, unknown>[]> {
  connection ??= (async () => {
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    await c.run(`CREATE VIEW metrics AS SELECT * FROM read_parquet('${join(dist, 'data/snapshots', LATEST, 'metrics.parquet')}')`);
    return c;
  })();
  const reader = await (await connection).runAndReadAll(sql, values);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A metric's monthly values (company total unless a line is given), oldest first, months as YYYY-MM. */
export async function monthly(id: string, line = 'All'): Promise<{ month: string; value: number }[]> {
  const rows = await query(
    `SELECT strftime(period_start, '%Y-%m') AS month, value FROM metrics
     WHERE metric = $1 AND grain = 'month' AND business_line = $2 AND dimension IS NULL ORDER BY period_start`,
    [id, line],
  );
  return rows.map((r) => ({ month: r.month as string, value: r.value as number }));
}

/** The manifest of the latest snapshot. */
export const manifest = JSON.parse(readFileSync(join(dist, 'data/snapshots', LATEST, 'manifest.json'), 'utf8')) as {
  metrics: { id: string; latestDataDate: string; freshnessOk: boolean; completenessOk: boolean }[];
  sources: { id: string; freshnessOk: boolean }[];
  checks: { name: string; source: string; status: 'pass' | 'warn' | 'fail'; detail: string }[];
};
