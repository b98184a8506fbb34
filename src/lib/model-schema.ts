/**
 * The semantic model's contract (data/model/*.yaml), defined once; its types
 * are derived from it. Shared: the export validates against it, and the
 * site's dictionary, tree and dashboard read the same types.
 */
import { z } from 'zod';
import { FORMAT_NAMES } from './source-formats.ts';

/** A month as the model, snapshots, stories and command lines write it: YYYY-MM. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The reporting grains: calendar months and ISO weeks (Monday to Sunday). */
export const GRAINS = ['month', 'week'] as const;
export type Grain = (typeof GRAINS)[number];

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'an id is lower-case letters, digits and underscores, starting with a letter');
const month = z.string().regex(MONTH, 'a month is written YYYY-MM, for example 2027-03');
const grain = z.enum(GRAINS);
const text = z.string().min(1);

/** Whether `label` names an encoding TextDecoder can read (the WHATWG names: windows-1252, utf-16le, iso-8859-15…). */
function knownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** The encoding a CSV source's files are in when it is not UTF-8, by its standard name (latin1 is read as windows-1252); null for UTF-8. */
export function textEncoding(source: { csv?: { encoding?: string } }): string | null {
  const label = source.csv?.encoding;
  const encoding = label ? new TextDecoder(label).encoding : 'utf-8';
  return encoding === 'utf-8' ? null : encoding;
}

/**
 * A metric's SQL must follow from its period's rows alone: the export
 * computes long histories in parts, and takes the values of periods whose
 * rows are unchanged from an earlier snapshot. String literals are set
 * aside before looking.
 */
const NOT_FROM_ROWS: [RegExp, string][] = [
  [/\bover\s*\(/i, "a window function (OVER …) is not supported: write the metric as an aggregate over the period's rows, such as count(*) or sum(revenue) / count(DISTINCT user_id)"],
  [/\bselect\b/i, "a subquery (SELECT …) is not supported: a metric is computed from its period's rows alone; bring what it needs into the fact's SQL (facts.yaml)"],
  [
    /\b(getvariable|now|today|random|uuid|gen_random_uuid)\s*\(|\bcurrent_(date|timestamp|time)\b/i,
    "depends on when or how the export runs, not on the period's rows (getvariable, now, current_date, random…): compute it in the fact's SQL (facts.yaml)",
  ],
];
const fromPeriodRows = text.superRefine((sql, ctx) => {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''");
  for (const [pattern, message] of NOT_FROM_ROWS) if (pattern.test(code)) ctx.addIssue({ code: 'custom', message });
});

export const UNITS = ['count', 'currency', 'percent', 'ratio', 'duration'] as const;
/** How a number is written: a count, pounds, a percentage, a ratio or hours. */
export type Unit = (typeof UNITS)[number];
export const RELATIONS = ['sum', 'product', 'ratio', 'influences'] as const;

export const calendarSchema = z.strictObject({
  timeZone: text,
  grains: z.array(z.strictObject({ id: grain, label: text })).min(1),
  fiscalYear: z.strictObject({ description: text, allocation: text }),
  businessLines: z.array(z.strictObject({ id: text, description: text })).min(1),
  privacy: z.strictObject({ minimumGroupSize: z.number().int().min(1) }),
  checks: z.strictObject({ jumpWarning: z.number().positive() }),
});

const column = z.strictObject({
  name: text,
  type: text,
  personal: z.boolean().default(false),
  renamedFrom: z.array(text).default([]),
  min: z.number().optional(),
  /** Another column of the source this one cannot be earlier than (a ticket's resolved, its opened); empty values pass. */
  notBefore: text.optional(),
  description: text.optional(),
});

export const sourceSchema = z.strictObject({
  id,
  label: text,
  description: text,
  owner: text,
  cadence: text,
  consumers: z.array(text).min(1),
  files: text,
  format: z.enum(FORMAT_NAMES),
  csv: z
    .strictObject({
      delimiter: z.string().length(1).optional(),
      dateFormat: text.optional(),
      /** The files' text encoding when not UTF-8 (a name TextDecoder knows): windows-1252 for Excel's plain "CSV", utf-16le for its "Unicode text". */
      encoding: text.refine(knownEncoding, 'not a text encoding this export knows: give one such as windows-1252 (what Excel saves as plain "CSV" in the UK) or utf-16le (its "Unicode text")').optional(),
    })
    .optional(),
  delivery: z
    .strictObject({
      pattern: text,
      use: z.enum(['all', 'latest']).default('all'),
      /** With use: latest, each dump lists every row of the one before (every subscription started so far): a row that goes missing means a dump cut short. */
      cumulative: z.boolean().default(false),
    })
    .optional(),
  columns: z.array(column).min(1),
  time: z.strictObject({ date: text, calendar: text }),
  primaryKey: z.array(text).min(1),
  slo: z.strictObject({ freshnessDays: z.number().int().min(0), expected: z.enum(['daily', 'weekly', 'monthly']) }),
});

export const factSchema = z.strictObject({
  id,
  label: text,
  description: text,
  entity: text.nullable(),
  sources: z.array(id).min(1),
  grains: z.array(grain).optional(),
  columns: z.array(
    z.strictObject({
      name: text,
      description: text,
      /** The only values the column may hold: a row with another, or none (a source value the SQL does not map), stops the export. */
      values: z.array(text).min(1).optional(),
    }),
  ),
  dimensions: z.array(z.strictObject({ id, column: text, label: text })).default([]),
  sql: text,
});

export const metricSchema = z.strictObject({
  id,
  label: text,
  description: text,
  owner: text,
  unit: z.enum(UNITS),
  direction: z.enum(['up', 'down']),
  northStar: z.boolean().default(false),
  source: id,
  expression: fromPeriodRows,
  filter: fromPeriodRows.optional(),
  grains: z.array(grain).min(1),
  dimensions: z.array(id).default([]),
  targets: z.array(z.strictObject({ value: z.number(), by: month, businessLine: text.default('All') })).default([]),
  slo: z.strictObject({ freshnessDays: z.number().int().min(0), completeness: z.number().min(0).max(1) }),
  tree: z.strictObject({ relation: z.enum(RELATIONS), drivers: z.array(id).min(1) }).optional(),
});

export const strategySchema = z.strictObject({
  vision: text,
  goals: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/), title: text, metric: id, target: z.number(), by: month })).min(1),
  hypotheses: z.array(
    z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/), initiative: text, goal: text, metric: id, since: month }),
  ),
});

export type Calendar = z.infer<typeof calendarSchema>;
export type Source = z.infer<typeof sourceSchema>;

/** A source column's name, then the old names files may still use for it (renamedFrom). */
export const namesOf = (column: Source['columns'][number]): string[] => [column.name, ...column.renamedFrom];
export type Fact = z.infer<typeof factSchema>;
export type Metric = z.infer<typeof metricSchema>;
export type Strategy = z.infer<typeof strategySchema>;

export interface Model {
  calendar: Calendar;
  sources: Source[];
  facts: Fact[];
  metrics: Metric[];
  strategy: Strategy;
}

/** The files of the model and the schema of each. */
export const MODEL_FILES = {
  calendar: { file: 'calendar.yaml', schema: calendarSchema },
  sources: { file: 'sources.yaml', schema: z.strictObject({ sources: z.array(sourceSchema).min(1) }) },
  facts: { file: 'facts.yaml', schema: z.strictObject({ facts: z.array(factSchema).min(1) }) },
  metrics: { file: 'metrics.yaml', schema: z.strictObject({ metrics: z.array(metricSchema).min(1) }) },
  strategy: { file: 'strategy.yaml', schema: strategySchema },
} as const;
