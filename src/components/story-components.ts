/**
 * The components analysts can use in a story's MDX, by the name they write.
 * Every page that renders a story (article, presentation, gallery) passes
 * this map to `<Content components={storyComponents} />`.
 */
import Decision from './Decision.astro';
import LineChart from './LineChart.astro';
import Notes from './Notes.astro';
import Select from './Select.astro';
import Slide from './Slide.astro';
import Term from './Term.astro';

export const storyComponents = {
  Decision,
  LineChart,
  Notes,
  Select,
  Slide,
  Term,
};
