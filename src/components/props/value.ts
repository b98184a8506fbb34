/** The props of Value, Kpi and WhyChanged: one metric's number in a period. */
import { z } from 'zod';
import { MONTH } from '../../lib/model-schema.ts';
import { VALUE_SHOWS } from '../../lib/value-options.ts';
import { unitProp } from './chart.ts';

const periodProp = () =>
  z
    .string()
    .refine((text) => MONTH.test(text), { error: (issue) => `period "${String(issue.input)}" is not a month written YYYY-MM.` })
    .optional();
const against = (values: readonly string[], words: string) =>
  z.enum(values as [string, ...string[]], { error: (issue) => `against="${String(issue.input)}" is not ${words}.` });

export const valueProps = z.strictObject({
  metric: z.string().optional().describe('A metric id: shows its value in period. Example: metric="revenue".'),
  period: periodProp().describe("YYYY-MM; default the story's period. Example: period=\"2026-09\"."),
  businessLine: z.string().optional().describe('"All" (default), a business line, or "$input". Example: businessLine="$line".'),
  dimension: z.string().optional().describe('One cell of a breakdown: a dimension of the metric. Example: dimension="region".'),
  dimensionValue: z.string().optional().describe('With dimension: its value, or "$input". Example: dimensionValue="Scotland".'),
  sql: z.string().optional().describe('Or SQL returning one row; column names the number.'),
  column: z.string().optional().describe('The column to show. Default "value".'),
  show: z.enum(VALUE_SHOWS, { error: (issue) => `show="${String(issue.input)}" is not "value", "change" or "relative".` }).optional().describe('"value" (default), "change" (signed difference) or "relative" (signed percentage).'),
  against: z.string().optional().describe('What to compare with: for a metric "previous" (default) or "year_ago"; for SQL a column name.'),
  unit: unitProp().optional().describe("Default: the metric's unit, else count."),
});

export const kpiProps = z.strictObject({
  metric: z.string().describe('A metric id from data/model/metrics.yaml. Example: metric="bookings".'),
  period: periodProp().describe("YYYY-MM; default the story's period."),
  businessLine: z.string().optional().describe('"All" (default) or a business line. Example: businessLine="Casting".'),
  compare: z.enum(['previous', 'year_ago', 'both'], { error: (issue) => `compare="${String(issue.input)}" is not "previous", "year_ago" or "both".` }).optional().describe('Which comparisons to show: "previous", "year_ago" or "both" (default).'),
  label: z.string().optional().describe("A shorter label than the metric's own. Example: label=\"Bookings\"."),
});

export const whyChangedProps = z.strictObject({
  metric: z.string().describe('A metric with drivers (tree relation sum, product or ratio). Example: metric="bookings".'),
  period: periodProp().describe("YYYY-MM; default the story's period."),
  against: against(['previous', 'year_ago'], '"previous" or "year_ago"').optional().describe('"previous" (default) or "year_ago".'),
  businessLine: z.string().optional().describe('"All" (default) or a business line.'),
  title: z.string().optional().describe('A heading; default "Why <metric> changed".'),
});
