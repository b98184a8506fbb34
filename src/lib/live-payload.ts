/**
 * The page-to-browser payload (`data-plotline-live`): what a chart, table
 * or value needs to run its query again in DuckDB-WASM and redraw, defined
 * once as a schema; the type is derived from it. The build checks every
 * payload it writes (liveAttribute); the browser reads it back with the
 * type alone (client/live-payload.ts), so the schema library never ships.
 */
import { z } from 'zod';
import { chartOptionsSchema } from './charts/chart-options.ts';
import { liveTableOptionsSchema } from './table-options.ts';
import { valueOptionsSchema } from './value-options.ts';

/** The query: SQL with `$name` parameters, the inputs it depends on, and the snapshot tables to load (name and URL). */
export const liveQuerySchema = z.strictObject({
  sql: z.string(),
  inputs: z.array(z.string()),
  tables: z.array(z.strictObject({ name: z.string(), url: z.string() })),
});

export type LiveQuery = z.infer<typeof liveQuerySchema>;

export const livePayloadSchema = z.discriminatedUnion('kind', [
  liveQuerySchema.extend({ kind: z.literal('chart'), options: chartOptionsSchema }),
  liveQuerySchema.extend({ kind: z.literal('table'), options: liveTableOptionsSchema }),
  liveQuerySchema.extend({ kind: z.literal('value'), options: valueOptionsSchema }),
]);

export type LivePayload = z.infer<typeof livePayloadSchema>;

/** The payload as the attribute's text, after checking it against the schema (a mismatch is a bug in the component, named here). */
export function liveAttribute(payload: LivePayload): string {
  const checked = livePayloadSchema.safeParse(payload);
  if (!checked.success) throw new Error(`The ${payload.kind} payload for the browser does not match its schema (src/lib/live-payload.ts): ${z.prettifyError(checked.error)}`);
  // The payload as given (the schema's output would reorder its keys).
  return JSON.stringify(payload);
}
