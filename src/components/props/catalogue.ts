/** Every analyst component's props schema, by the name a story writes: for the gallery's prop tables (and anything else that lists them). */
import type { z } from 'zod';
import { chartProps, typedChartProps } from './chart.ts';
import { periodRangeProps, selectProps, toggleProps } from './inputs.ts';
import { calloutProps, decisionProps, hypothesisProps, notesProps, slideProps, termProps, userStoryProps } from './narrative.ts';
import { tableProps } from './table.ts';
import { kpiProps, valueProps, whyChangedProps } from './value.ts';

export const COMPONENT_PROPS: Record<string, z.ZodObject> = {
  AreaChart: typedChartProps,
  BarChart: typedChartProps,
  Callout: calloutProps,
  Chart: chartProps,
  Decision: decisionProps,
  DotChart: typedChartProps,
  Hypothesis: hypothesisProps,
  Kpi: kpiProps,
  LineChart: typedChartProps,
  Notes: notesProps,
  PeriodRange: periodRangeProps,
  Select: selectProps,
  Slide: slideProps,
  Table: tableProps,
  Term: termProps,
  Toggle: toggleProps,
  UserStory: userStoryProps,
  Value: valueProps,
  WhyChanged: whyChangedProps,
};
