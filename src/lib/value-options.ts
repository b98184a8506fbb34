/** What an inline value shows (values.ts), defined once as a schema; the type is derived from it. Only the build imports it at run time. */
import { z } from 'zod';
import { UNITS } from './model-schema.ts';

export const VALUE_SHOWS = ['value', 'change', 'relative'] as const;
export type ValueShow = (typeof VALUE_SHOWS)[number];

export const valueOptionsSchema = z.strictObject({
  /** The column holding the number. Default "value". */
  column: z.string(),
  /** "value" (default), "change" (signed difference) or "relative" (signed %). */
  show: z.enum(VALUE_SHOWS),
  /** The comparison column for change/relative ("previous" or "year_ago" for metrics). */
  against: z.string().optional(),
  unit: z.enum(UNITS),
});

export type ValueOptions = z.infer<typeof valueOptionsSchema>;
