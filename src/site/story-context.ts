/**
 * What a story's components need to know about the story they are in: which
 * file (for error messages), which snapshot its numbers come from, and the
 * default values of the inputs declared so far on the page.
 */
import { UNITS } from '../lib/model-schema.ts';
import type { ParamValue } from '../lib/sql-params.ts';

export interface StoryContext {
  /** Path from the project root, e.g. src/stories/2026-10-revenue.mdx. */
  file: string;
  /** The pinned snapshot, YYYY-MM. */
  snapshot: string;
  /** The month the story reports on, YYYY-MM (its frontmatter `period`); default the snapshot's. */
  period?: string;
  /** Input name → default value, filled in by input components as they render. */
  inputs: Record<string, ParamValue>;
}

/** The story context, or an error saying the component must sit in a story. */
export function storyContext(locals: App.Locals, component: string): StoryContext {
  if (!locals.story) {
    throw new Error(`<${component}> can only be used inside a story (an MDX file in src/stories/), where it knows which snapshot to read.`);
  }
  return locals.story;
}

/** Prefixes a message with the story file, the way compilers print locations. */
export function inStory(context: StoryContext, message: string): Error {
  return new Error(`${context.file}  ${message}`);
}

let counter = 0;
/** A number unique within the build, for element ids (deterministic: same build, same ids). */
export function nextId(): number {
  counter += 1;
  return counter;
}

/** The month a story's numbers default to: its `period`, else its snapshot's month. */
export function storyPeriod(context: StoryContext): string {
  return context.period ?? context.snapshot;
}

/** The context of a story from its collection entry: file, pinned snapshot, period, no inputs yet. */
export function contextOf(entry: { id: string; filePath?: string; data: { snapshot?: string; period: string } }): StoryContext {
  return {
    file: entry.filePath ?? `src/stories/${entry.id}.mdx`,
    snapshot: entry.data.snapshot ?? entry.data.period,
    period: entry.data.period,
    inputs: {},
  };
}

/**
 * Registers an input's defaults (`values`: key → default; most inputs have
 * one key, their name) after checking that `name` is an identifier and no
 * input on the page uses its keys yet. `component` names it in errors.
 */
export function addInput(story: StoryContext, component: string, name: string, values: Record<string, ParamValue>): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw inStory(story, `${component}: a name is letters, digits and underscores, starting with a letter, for example "business_line".`);
  if (Object.keys(values).some((key) => key in story.inputs)) throw inStory(story, `${component}: an input called "${name}" is already on the page; names must be unique.`);
  Object.assign(story.inputs, values);
}

/** A unit a component was given (`what` says which prop) must be one the formatters know. */
export function checkUnit(story: StoryContext, component: string, unit: string | undefined, what = 'unit'): void {
  if (unit !== undefined && !(UNITS as readonly string[]).includes(unit)) throw inStory(story, `${component}: ${what} "${unit}" is not one of ${UNITS.join(', ')}.`);
}
