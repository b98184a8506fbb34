/**
 * The components analysts can use in a story's MDX, by the name they write,
 * and each one's props schema (props/). Every page that renders a story
 * (article, presentation, gallery) passes the first map to
 * `<Content components={storyComponents} />`; the gallery's prop tables read
 * the second. A new component is a line in each.
 */
import type { z } from 'zod';
import { chartProps, typedChartProps } from './props/chart.ts';
import { periodRangeProps, selectProps, toggleProps } from './props/inputs.ts';
import { calloutProps, decisionProps, hypothesisProps, notesProps, slideProps, termProps, userStoryProps } from './props/narrative.ts';
import { tableProps } from './props/table.ts';
import { kpiProps, valueProps, whyChangedProps } from './props/value.ts';
import AreaChart from './AreaChart.astro';
import BarChart from './BarChart.astro';
import Callout from './Callout.astro';
import Chart from './Chart.astro';
import Decision from './Decision.astro';
import DotChart from './DotChart.astro';
import Hypothesis from './Hypothesis.astro';
import Kpi from './Kpi.astro';
import LineChart from './LineChart.astro';
import Notes from './Notes.astro';
import PeriodRange from './PeriodRange.astro';
import Select from './Select.astro';
import Slide from './Slide.astro';
import Table from './Table.astro';
import Term from './Term.astro';
import Toggle from './Toggle.astro';
import UserStory from './UserStory.astro';
import Value from './Value.astro';
import WhyChanged from './WhyChanged.astro';

export const storyComponents = {
  AreaChart,
  BarChart,
  Callout,
  Chart,
  Decision,
  DotChart,
  Hypothesis,
  Kpi,
  LineChart,
  PeriodRange,
  Notes,
  Select,
  Slide,
  Table,
  Term,
  Toggle,
  UserStory,
  Value,
  WhyChanged,
};

/** Each component's props schema, by the same name (what parseProps checks it against). */
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
