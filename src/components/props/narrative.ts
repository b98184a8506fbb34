/** The props of the narrative blocks and the deck's: Callout, Hypothesis, UserStory, Decision, Term, Slide, Notes. */
import { z } from 'zod';

export const calloutProps = z.strictObject({
  type: z.enum(['insight', 'caveat', 'action'], { error: 'type is "insight", "caveat" or "action".' }).optional().describe('"insight" (default), "caveat" or "action".'),
  title: z.string().optional().describe('A heading; default "Insight", "Caveat" or "Action".'),
});

export const hypothesisProps = z.strictObject({
  id: z.string().optional().describe('A hypothesis id from data/model/strategy.yaml. Example: id="shareable-shortlists".'),
  initiative: z.string().optional().describe('Or: the initiative, as the sentence continues after "We believe that".'),
  goal: z.string().optional().describe("With initiative: the goal it serves (a goal's title or id)."),
  metric: z.string().optional().describe('With initiative: the metric that will show it. Example: metric="bookings_per_searcher".'),
});

export const userStoryProps = z.strictObject({
  as: z.string().describe('Who needs it. Example: as="finance business partner".'),
  want: z.string().describe('What they want to do. Example: want="to see margin by line".'),
  soThat: z.string().describe('Why: the result it gives them.'),
});

export const decisionProps = z.strictObject({
  what: z.string().describe('What was decided, as one sentence.'),
  by: z.string().describe('Who decided. Example: by="Leadership team".'),
  date: z.string().describe('When, YYYY-MM-DD. Example: date="2026-11-04".'),
  metric: z.string().describe('The metric it should move (an id from data/model/metrics.yaml).'),
  expected: z.string().describe('The effect expected, in words. Example: expected="Bookings back above 3,200 a month by January".'),
});

export const termProps = z.strictObject({
  metric: z.string().describe("The metric's id in data/model/metrics.yaml; the text inside is the link (default the metric's label). Example: metric=\"bookings\"."),
});

export const slideProps = z.strictObject({
  layout: z.literal('statement', { error: 'unknown layout. Use layout="statement", or leave it out.' }).optional().describe('"statement": one large centred message (no chart). Default: a heading, then content that fills the slide.'),
});

export const notesProps = z.strictObject({});
