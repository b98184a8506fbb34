/**
 * The snapshot manifest (`public/data/snapshots/<period>/manifest.json`):
 * what a snapshot holds, where it came from, and how healthy its data was.
 * Written by the export, read by the site build. Defined once here; the
 * type is derived from the schema.
 */
import { z } from 'zod';
import { GRAINS, MONTH } from './model-schema.ts';

const column = z.object({ name: z.string(), type: z.string() });
const check = z.object({
  name: z.string(),
  /** A source id or a metric id. */
  source: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  detail: z.string(),
});

export const manifestSchema = z.object({
  /** The snapshot id: its period, `YYYY-MM`. */
  id: z.string().regex(MONTH),
  period: z.string().regex(MONTH),
  /** First and last day the snapshot covers, ISO dates. */
  periodStart: z.string(),
  periodEnd: z.string(),
  created: z.string(),
  engine: z.string(),
  /** SHA-256 over the model files and every source file the snapshot could see. */
  inputs: z.string(),
  model: z.array(z.object({ file: z.string(), sha256: z.string() })),
  sources: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      files: z.array(z.object({ file: z.string(), bytes: z.number(), sha256: z.string(), delivered: z.string().nullable() })),
      /** Rows the snapshot could see (dated up to its end, in files delivered by then). */
      rows: z.number(),
      latestEventDate: z.string().nullable(),
      /** Days from the latest row to the period's end, and the SLO for it. */
      lagDays: z.number().nullable(),
      freshnessSloDays: z.number(),
      freshnessOk: z.boolean(),
    }),
  ),
  tables: z.array(z.object({ name: z.string(), file: z.string(), rows: z.number(), bytes: z.number(), columns: z.array(column) })),
  /** Per metric: is its data within its SLOs? (The dashboard's freshness badge.) */
  metrics: z.array(
    z.object({ id: z.string(), latestDataDate: z.string().nullable(), freshnessOk: z.boolean(), completenessOk: z.boolean() }),
  ),
  checks: z.array(check),
  /**
   * Where the values of periods whose rows had not changed came from: the
   * earlier snapshot they were taken from, and per fact and grain how many
   * periods there are and how many were computed (the rest were taken).
   * Facts in `whole` were computed whole (too much had changed). Null when
   * every value was computed.
   */
  reuse: z
    .object({
      from: z.string().regex(MONTH),
      computed: z.array(z.object({ fact: z.string(), grain: z.enum(GRAINS), periods: z.number(), computed: z.number() })),
      whole: z.array(z.string()),
    })
    .nullable()
    .default(null),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** `public/data/snapshots/latest.json`: names the newest snapshot. */
export const latestSchema = z.object({ period: z.string().regex(MONTH) });
