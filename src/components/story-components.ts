/**
 * The components analysts can use in a story's MDX, by the name they write.
 * Every page that renders a story (article, presentation, gallery) passes
 * this map to `<Content components={storyComponents} />`.
 */
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
