/**
 * The snapshot manifest (`public/data/snapshots/<period>/manifest.json`):
 * what a snapshot holds and where it came from. Written by the export, read
 * by the site build. Defined once here; the type is derived from the schema.
 */
import { z } from 'zod';

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const column = z.object({ name: z.string(), type: z.string() });

export const manifestSchema = z.object({
  /** The snapshot id: its period, `YYYY-MM`. */
  id: z.string().regex(PERIOD),
  period: z.string().regex(PERIOD),
  /** First and last day the snapshot covers, ISO dates. */
  periodStart: z.string(),
  periodEnd: z.string(),
  created: z.string(),
  engine: z.string(),
  sources: z.array(
    z.object({
      name: z.string(),
      file: z.string(),
      sha256: z.string(),
      bytes: z.number(),
      rows: z.number(),
      latestEventDate: z.string().nullable(),
    }),
  ),
  tables: z.array(
    z.object({
      name: z.string(),
      file: z.string(),
      rows: z.number(),
      bytes: z.number(),
      columns: z.array(column),
    }),
  ),
  checks: z.array(
    z.object({
      name: z.string(),
      source: z.string(),
      status: z.enum(['pass', 'warn', 'fail']),
      detail: z.string(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** `public/data/snapshots/latest.json`: names the newest snapshot. */
export const latestSchema = z.object({ period: z.string().regex(PERIOD) });
