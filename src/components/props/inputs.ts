/** The props of the inputs: Select, Toggle, PeriodRange. */
import { z } from 'zod';

const name = z.string().describe('The parameter name queries use, without the $: letters, digits and underscores. Example: name="business_line".');

export const selectProps = z.strictObject({
  name,
  label: z.string().describe('The visible label. Example: label="Business line".'),
  options: z.array(z.string()).min(1).describe("The choices, in order. Example: options={['All', 'Casting', 'Production']}."),
  value: z.string().optional().describe('The value the build renders with. Default: the first option.'),
});

export const toggleProps = z.strictObject({
  name,
  label: z.string().describe('The visible label. Example: label="Show the company total".'),
  checked: z.boolean().optional().describe('The state the build renders. Default false. Example: checked.'),
});

export const periodRangeProps = z.strictObject({
  name: z.string().describe('Queries read $<name>_from and $<name>_to (first days of months). Example: name="period".'),
  label: z.string().describe('The visible label. Example: label="Months".'),
  from: z.string().optional().describe('The first month, YYYY-MM. Default: twelve months before to.'),
  to: z.string().optional().describe("The last month, YYYY-MM. Default: the snapshot's month."),
});
