/** The props of Table. */
import { z } from 'zod';
import { queryProps } from './query.ts';

export const tableProps = z.strictObject({
  ...queryProps,
  title: z.string({ error: 'every table needs a title.' }).min(1, 'every table needs a title.').describe('What the table shows; also the CSV file\'s name. Example: title="Revenue by line".'),
  pivot: z
    .union([z.boolean(), z.strictObject({ row: z.string(), column: z.string(), value: z.string(), values: z.array(z.string()).optional() })])
    .optional()
    .describe('Pivot long rows wide: true for a metric split by something; or { row, column, value } for SQL. Example: pivot.'),
  columns: z.array(z.string()).optional().describe("Columns to show, in order (default all). Example: columns={['month', 'revenue']}."),
  units: z.record(z.string(), z.string()).optional().describe("Unit of each number column. Example: units={{ revenue: 'currency' }}."),
  labels: z.record(z.string(), z.string()).optional().describe("Headings. Example: labels={{ period_start: 'Month' }}."),
  newestFirst: z.boolean().optional().describe('Show the newest rows first. Default: true for a metric, false for SQL.'),
});

export type TableProps = z.input<typeof tableProps>;

