/** The props of every component that queries a metric or SQL (the charts and Table). */
import { z } from 'zod';
import { GRAINS } from '../../lib/model-schema.ts';

export const queryProps = {
  metric: z.string().optional().describe('A metric id from data/model/metrics.yaml; the query is generated from the model. Example: metric="bookings".'),
  by: z.string().optional().describe('With metric: split into series by "business_line" or one of the metric\'s dimensions. Example: by="region".'),
  grain: z.enum(GRAINS, { error: (issue) => `grain "${String(issue.input)}" is not one of ${GRAINS.join(', ')}.` }).optional().describe('With metric: "month" (default) or "week".'),
  businessLine: z.string().optional().describe('With metric: "All" (default), a business line, or "$input" to follow an input. Example: businessLine="$line".'),
  from: z.string().optional().describe('With metric: the first period shown, YYYY-MM, or "$input_from". Example: from="2025-11".'),
  to: z.string().optional().describe('With metric: the last period shown, YYYY-MM, or "$input_to". Default: the latest.'),
  sql: z.string().optional().describe('Or raw SQL over the snapshot\'s tables; $name reads the input called name. Example: sql={`SELECT … FROM metrics WHERE business_line = $line`}.'),
};
