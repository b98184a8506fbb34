/**
 * What a table is shaped and formatted with (table.ts), defined once as a
 * schema; the type is derived from it. Only the build imports it at run
 * time (see chart-options.ts for why).
 */
import { z } from 'zod';
import { UNITS } from './model-schema.ts';

export const tableOptionsSchema = z.strictObject({
  /** Columns to show, in order. Default: all the result's columns. */
  columns: z.array(z.string()).optional(),
  /** Unit of each numeric column. */
  units: z.record(z.string(), z.enum(UNITS)).optional(),
  /** The unit of every number column not named in `units` (a pivoted table's series columns). */
  valueUnit: z.enum(UNITS).optional(),
  /** Column headings; default the column name with spaces. */
  labels: z.record(z.string(), z.string()).optional(),
});

export type TableOptions = z.infer<typeof tableOptionsSchema>;

/** A story table's options as the browser refills it: also its order and its title. */
export const liveTableOptionsSchema = tableOptionsSchema.extend({
  /** The newest rows first (metric tables). */
  newestFirst: z.boolean(),
  title: z.string(),
});
