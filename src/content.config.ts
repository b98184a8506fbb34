/**
 * The stories collection: one MDX file a deep-dive in src/stories/. The
 * frontmatter is the contract between analysts and the site; a story with a
 * missing or malformed field fails the build with the file and field named.
 */
import { glob } from 'astro/loaders';
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { MONTH } from './lib/model-schema.ts';

const period = z.string().regex(MONTH, 'a month written YYYY-MM, for example 2026-10');

export const storySchema = z.object({
  title: z.string().min(1),
  /** Publication date. */
  date: z.coerce.date(),
  /** The month the story reports on, YYYY-MM. */
  period,
  /** The snapshot the story's numbers come from; defaults to its period's. */
  snapshot: period.optional(),
  summary: z.string().min(1),
  authors: z.array(z.string()).default([]),
  businessLines: z.array(z.string()).default([]),
  metrics: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  draft: z.boolean().default(false),
});

export const collections = {
  stories: defineCollection({
    // PLOTLINE_STORIES_DIR points the build at another folder (tests build broken fixtures).
    loader: glob({ pattern: '**/*.mdx', base: process.env.PLOTLINE_STORIES_DIR ?? './src/stories' }),
    schema: storySchema,
  }),
};
