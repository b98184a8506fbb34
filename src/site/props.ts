/**
 * Component props checked against their schemas (src/components/props/)
 * when a story renders, at build and in `npm run check`: a prop the
 * component does not take is named with the one it probably means, and a
 * value of the wrong type with the type it takes. A schema's own message
 * (an enum's allowed values, say) is used as it is. Every problem of one
 * component is reported at once.
 */
import { z } from 'zod';
import { closest } from '../lib/closest.ts';
import { inStory, type StoryContext } from './story-context.ts';

type Shape = z.ZodObject;

/** Throws, naming the story and `component` (e.g. `<LineChart title="Revenue">`), when `props` do not fit `schema`. */
export function parseProps(story: StoryContext, component: string, schema: Shape, props: Record<string, unknown>): void {
  const result = schema.safeParse(props);
  if (result.success) return;
  const problems = result.error.issues.flatMap((issue) => describeIssue(schema, props, issue));
  throw inStory(story, `${component}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:${problems.map((p) => `\n  ${p}`).join('')}`}`);
}

function describeIssue(schema: Shape, props: Record<string, unknown>, issue: z.core.$ZodIssue): string[] {
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const at = schemaAt(schema, path);
    const allowed = at instanceof z.ZodObject ? Object.keys(at.shape) : [];
    const unused = allowed.filter((k) => !(k in valueAt(props, path)));
    return issue.keys.map((key) => {
      // Props are short words typed by hand: two letters swapped (form for from) count as two edits, so allow them.
      const guess = closest(key, unused, key.length <= 3 ? 1 : Math.max(2, Math.floor(key.length / 3)));
      const where = path.length > 0 ? ` in ${pathText(path)}` : '';
      return `unknown prop "${key}"${where}. ${guess ? `Did you mean "${guess}"?` : `It takes: ${allowed.join(', ')}.`}`;
    });
  }
  // A schema's own words (see the props files) say it best.
  if (!/^(Invalid|Too (small|big))/.test(issue.message)) return [issue.message];
  const value = valueAt(props, path);
  const expected = expectedOf(schemaAt(schema, path));
  if (value === undefined) return [`the "${pathText(path)}" prop is missing; it takes ${expected}.`];
  if (issue.code === 'too_small' || issue.code === 'too_big') return [`${pathText(path)} is ${shown(value)}: ${issue.message.replace(/^Too (small|big): expected/, 'it should have').replace(/>=/, 'at least').replace(/<=/, 'at most')}.`];
  return [`${pathText(path)} is ${shown(value)}, but it takes ${expected}.`];
}

/** annotations[0].date */
const pathText = (path: (string | number)[]) => path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');

function valueAt(props: unknown, path: (string | number)[]): any {
  return path.reduce<any>((at, key) => (at === null || at === undefined ? undefined : at[key]), props);
}

/** The schema of the prop at `path` (unwrapped), or undefined. */
function schemaAt(schema: z.ZodType, path: (string | number)[]): z.ZodType | undefined {
  let at: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!at) return undefined;
    const def = at._zod.def as any;
    at = unwrap(def.type === 'object' ? def.shape[key] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined);
  }
  return at;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let at = schema;
  while (at && ['optional', 'default', 'nullable', 'prefault'].includes(at._zod.def.type)) at = (at._zod.def as any).innerType;
  return at;
}

/** A value as an error message shows it. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** What a schema takes, in words: `text`, `a number, such as {5200}`, `"stacked" or "grouped"`… */
export function expectedOf(schema: z.ZodType | undefined): string {
  const at = unwrap(schema);
  if (!at) return 'anything';
  const def = at._zod.def as any;
  switch (def.type) {
    case 'string':
      return 'text, such as "…"';
    case 'number':
      return 'a number, in braces, such as {5200}';
    case 'boolean':
      return 'true or false (the prop alone means true)';
    case 'enum':
      return or(Object.values(def.entries).map((v) => JSON.stringify(v)));
    case 'literal':
      return or(def.values.map((v: unknown) => JSON.stringify(v)));
    case 'array':
      return `a list, such as {[…]}, of ${expectedOf(def.element).replace(/, such as .*$/, '')}`;
    case 'object':
    case 'record':
      return 'an object, such as {{ … }}';
    case 'union':
      return or(def.options.map((o: z.ZodType) => expectedOf(o).replace(/, such as .*$|, in braces.*$| \(the prop alone means true\)/, '')));
    default:
      return 'anything';
  }
}

const or = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** Each prop of a schema for the gallery's table: its name, what it takes, whether it is required, and its description. */
export function propsTable(schema: Shape): { name: string; takes: string; required: boolean; description: string }[] {
  return Object.entries(schema.shape).map(([name, prop]) => {
    const field = prop as z.ZodType;
    return {
      name,
      takes: expectedOf(field).replace(/, such as .*$|, in braces.*$| \(the prop alone means true\)/, ''),
      required: !field.safeParse(undefined).success,
      description: field.description ?? unwrap(field)?.description ?? '',
    };
  });
}
