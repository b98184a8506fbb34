/**
 * Loads the semantic model from data/model/*.yaml: parses each file, checks
 * it against the schema, then checks what refers to what (a metric's source,
 * dimensions, grains and targets' business lines, tree drivers, sources' key
 * columns, goals' and hypotheses' metrics) and that the tree has no cycle and
 * one north star. Every problem is reported as
 * `data/model/metrics.yaml:42  metrics[3].unit: …` so an editor can jump to it.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { z } from 'zod';
import { closest } from '../lib/closest.ts';
import { findCycle } from '../lib/find-cycle.ts';
import { GRAINS, MODEL_FILES, type Model } from '../lib/model-schema.ts';
import { SOURCE_FORMATS } from '../lib/source-formats.ts';

export class ModelError extends Error {
  override name = 'ModelError';
}

type Part = keyof typeof MODEL_FILES;
type Path = (string | number)[];
/** A parsed model file, with what is needed to turn a key path into a line. */
type Entry = { doc: ReturnType<typeof parseDocument>; lines: LineCounter; file: string };

export interface LoadedModel {
  model: Model;
  /** "data/model/metrics.yaml:42" for a key path in a model file (the file alone if the path is not found). */
  where: (part: Part, path: Path) => string;
}

export function loadModel(root: string, modelDir = join(root, 'data/model')): LoadedModel {
  const docs = new Map<Part, Entry>();
  const problems: string[] = [];
  const parsed: Partial<Record<Part, unknown>> = {};

  for (const [part, { file, schema }] of Object.entries(MODEL_FILES) as [Part, (typeof MODEL_FILES)[Part]][]) {
    const path = join(modelDir, file);
    const shown = relative(root, path);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      problems.push(`${shown}  file not found. The model needs ${Object.values(MODEL_FILES).map((f) => f.file).join(', ')} in ${relative(root, modelDir)}/.`);
      continue;
    }
    const lines = new LineCounter();
    const doc = parseDocument(content, { lineCounter: lines, prettyErrors: false });
    docs.set(part, { doc, lines, file: shown });
    if (doc.errors.length > 0) {
      // Only the first: one slip (a tab, a missing bracket) sets off a dozen more that go away with it.
      const error = doc.errors[0]!;
      problems.push(`${shown}:${lines.linePos(error.pos[0]).line}  not valid YAML: ${explainYamlError(error, content)}`);
      continue;
    }
    const data: unknown = doc.toJS();
    if (data === null || data === undefined) {
      const keys = keysAt(schema, []);
      problems.push(`${shown}  the file is empty. It should hold the model's ${part}, under the top-level key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}; if it was emptied by mistake, restore it from git.`);
      continue;
    }
    const result = (schema as z.ZodType).safeParse(data);
    if (result.success) parsed[part] = result.data;
    else problems.push(...schemaProblems(docs.get(part)!, schema, result.error.issues));
  }

  const where = (part: Part, path: Path) => {
    const entry = docs.get(part);
    return entry ? locate(entry, path) : join('data/model', MODEL_FILES[part].file);
  };
  if (problems.length > 0) throw new ModelError(problems.join('\n'));

  const model: Model = {
    calendar: parsed.calendar as Model['calendar'],
    sources: (parsed.sources as { sources: Model['sources'] }).sources,
    facts: (parsed.facts as { facts: Model['facts'] }).facts,
    metrics: (parsed.metrics as { metrics: Model['metrics'] }).metrics,
    strategy: parsed.strategy as Model['strategy'],
  };
  const crossProblems = checkReferences(model, where);
  if (crossProblems.length > 0) throw new ModelError(crossProblems.join('\n'));
  return { model, where };
}

function locate(entry: Entry, path: Path): string {
  // The deepest node on the path that exists.
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = entry.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return `${entry.file}:${entry.lines.linePos(node.range[0]).line}`;
  }
  return entry.file;
}

function explainYamlError(error: YAMLError, content: string): string {
  if (error.code === 'TAB_AS_INDENT') return 'a tab is used for indentation. YAML indents with spaces, not tabs: replace the tab with spaces.';
  const key = /^["']?([^:\n"']*?)["']?\s*:/.exec(content.slice(error.pos[0]))?.[1];
  if (error.code === 'DUPLICATE_KEY' && key) return `the key "${key}" is already given above, in the same block. Keep one of them.`;
  return `${error.message.split('\n')[0]}.`;
}

/**
 * One message a schema issue. An unknown key is shown on its own line, with
 * the key it is probably a misspelling of (and the "missing" issue for that
 * key is dropped: it is the same mistake); a missing key says so.
 */
function schemaProblems(entry: Entry, schema: z.ZodType, issues: z.core.$ZodIssue[]): string[] {
  const misspelt = new Set<string>();
  const unknownKeys = new Map(
    issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? [issue] : [])).map((issue) => {
      const path = issue.path as Path;
      const allowed = keysAt(schema, path);
      const unused = allowed.filter((k) => !keysIn(entry.doc.getIn(path, true)).includes(k));
      const messages = issue.keys.map((key) => {
        const guess = closest(key, unused);
        if (guess) misspelt.add(describePath([...path, guess]));
        return `${locateKey(entry, path, key)}  ${describePath([...path, key])}: unknown key "${key}". ${guess ? `Did you mean "${guess}"?` : `Keys allowed here: ${allowed.join(', ')}.`}`;
      });
      return [issue as z.core.$ZodIssue, messages] as const;
    }),
  );
  return issues.flatMap((issue) => {
    const path = issue.path as Path;
    if (unknownKeys.has(issue)) return unknownKeys.get(issue)!;
    const missing = issue.code === 'invalid_type' && entry.doc.getIn(path) === undefined && isMap(entry.doc.getIn(path.slice(0, -1), true));
    if (missing) return misspelt.has(describePath(path)) ? [] : [`${locate(entry, path)}  ${describePath(path)}: missing; this key is required.`];
    return [`${locate(entry, path)}  ${describePath(path)}: ${issue.message}.`];
  });
}

/** The keys written in a YAML mapping node. */
function keysIn(node: unknown): unknown[] {
  return isMap(node) ? node.items.map((p) => (isScalar(p.key) ? p.key.value : p.key)) : [];
}

/** The line of `key` itself in the mapping at `path` (not the line the mapping starts on). */
function locateKey(entry: Entry, path: Path, key: string): string {
  const map = entry.doc.getIn(path, true);
  const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  const range = isNode(pair?.key) ? pair.key.range : undefined;
  return range ? `${entry.file}:${entry.lines.linePos(range[0]).line}` : locate(entry, path);
}

/** The keys the schema allows in the mapping at `path`, such as a metric's for ['metrics', 3]. */
function keysAt(schema: z.ZodType, path: Path): string[] {
  let at: unknown = schema;
  const unwrap = () => {
    while (at instanceof z.ZodOptional || at instanceof z.ZodDefault || at instanceof z.ZodNullable) at = at.unwrap();
  };
  for (const key of path) {
    unwrap();
    if (typeof key === 'number' && at instanceof z.ZodArray) at = at.element;
    else if (typeof key === 'string' && at instanceof z.ZodObject) at = at.shape[key];
    else return [];
  }
  unwrap();
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

/** metrics[3].targets[0].by */
export function describePath(path: Path): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '') || '(top level)';
}

function checkReferences(model: Model, where: LoadedModel['where']): string[] {
  const problems: string[] = [];
  const say = (part: Part, path: Path, message: string) => problems.push(`${where(part, path)}  ${describePath(path)}: ${message}`);
  const sourceIds = model.sources.map((s) => s.id);
  const factIds = model.facts.map((f) => f.id);
  const metricIds = model.metrics.map((m) => m.id);
  const lineIds = model.calendar.businessLines.map((l) => l.id);
  const goalIds = model.strategy.goals.map((g) => g.id);
  const knownMetrics = `Metrics in data/model/metrics.yaml: ${metricIds.join(', ')}.`;
  const duplicates = (ids: string[]) => ids.filter((x, i) => ids.indexOf(x) !== i);
  for (const d of duplicates(sourceIds)) say('sources', ['sources', sourceIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  for (const d of duplicates(factIds)) say('facts', ['facts', factIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  for (const d of duplicates(metricIds)) say('metrics', ['metrics', metricIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  for (const d of duplicates(lineIds)) say('calendar', ['businessLines', lineIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  for (const d of duplicates(goalIds)) say('strategy', ['goals', goalIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  // "All" is what the export calls the company total (every line together).
  if (lineIds.includes('All')) say('calendar', ['businessLines', lineIds.indexOf('All'), 'id'], '"All" is kept for the company total (all lines together); give this business line another id.');

  model.sources.forEach((source, i) => {
    const columns = source.columns.map((c) => c.name);
    source.primaryKey.forEach((key, j) => {
      if (!columns.includes(key)) say('sources', ['sources', i, 'primaryKey', j], `unknown column "${key}". A key is made of the source's columns: ${columns.join(', ')}.`);
    });
    if (source.csv && source.format !== 'csv') {
      say('sources', ['sources', i, 'csv'], `csv options are for a CSV source; ${source.id} is ${SOURCE_FORMATS[source.format].described}. Remove them, or set format: csv.`);
    }
    if (source.delivery?.cumulative && source.delivery.use !== 'latest') {
      say('sources', ['sources', i, 'delivery', 'cumulative'], 'only a source read from its latest delivery (use: latest) can be a cumulative dump; every delivery of this one is read.');
    }
    source.columns.forEach((column, j) => {
      const other = column.notBefore;
      if (other !== undefined && (other === column.name || !columns.includes(other))) {
        say('sources', ['sources', i, 'columns', j, 'notBefore'], `"${other}" is not another column of source ${source.id}: ${column.name} can only be compared with one of ${columns.filter((c) => c !== column.name).join(', ')}.`);
      }
    });
  });

  model.facts.forEach((fact, i) =>
    fact.sources.forEach((source, j) => {
      if (!sourceIds.includes(source)) say('facts', ['facts', i, 'sources', j], `unknown source "${source}". Known sources: ${sourceIds.join(', ')}.`);
    }),
  );
  model.metrics.forEach((metric, i) => {
    const fact = model.facts.find((f) => f.id === metric.source);
    if (!fact) {
      say('metrics', ['metrics', i, 'source'], `unknown source "${metric.source}". A metric's source is a fact in facts.yaml: ${factIds.join(', ')}.`);
      return;
    }
    metric.dimensions.forEach((dimension, j) => {
      if (!fact.dimensions.some((d) => d.id === dimension)) {
        const known = fact.dimensions.map((d) => d.id);
        say('metrics', ['metrics', i, 'dimensions', j], `unknown dimension "${dimension}" for source ${fact.id}. ${known.length > 0 ? `Its dimensions: ${known.join(', ')}.` : 'It declares no dimensions.'}`);
      }
    });
    const factGrains = fact.grains ?? GRAINS;
    metric.grains.forEach((grain, j) => {
      if (!factGrains.includes(grain)) say('metrics', ['metrics', i, 'grains', j], `source ${fact.id} has no ${grain} grain (it has ${factGrains.join(', ')}).`);
    });
    metric.targets.forEach((target, j) => {
      if (target.businessLine !== 'All' && !lineIds.includes(target.businessLine)) {
        say('metrics', ['metrics', i, 'targets', j, 'businessLine'], `unknown business line "${target.businessLine}". Business lines in data/model/calendar.yaml: ${lineIds.join(', ')}; leave businessLine out for a company-wide target.`);
      }
    });
    metric.tree?.drivers.forEach((driver, j) => {
      if (!metricIds.includes(driver)) say('metrics', ['metrics', i, 'tree', 'drivers', j], `unknown metric "${driver}". ${knownMetrics}`);
    });
  });

  const calendarGrains = model.calendar.grains.map((g) => g.id);
  for (const grain of new Set(model.metrics.flatMap((m) => m.grains))) {
    const users = model.metrics.filter((m) => m.grains.includes(grain)).map((m) => m.id);
    if (!calendarGrains.includes(grain)) say('calendar', ['grains'], `no ${grain} grain, but metrics in data/model/metrics.yaml use it: ${users.join(', ')}. Add it here, or take ${grain} out of those metrics' grains.`);
  }

  const northStars = model.metrics.filter((m) => m.northStar);
  if (northStars.length !== 1) {
    say('metrics', ['metrics'], `exactly one metric must have northStar: true; found ${northStars.length}${northStars.length > 0 ? ` (${northStars.map((m) => m.id).join(', ')})` : ''}.`);
  }
  const cycle = findCycle(new Map(model.metrics.map((m) => [m.id, m.tree?.drivers ?? []])));
  if (cycle) {
    const at = model.metrics.findIndex((m) => m.id === cycle[0]);
    say('metrics', ['metrics', at, 'tree', 'drivers'], `the metrics tree has a cycle: ${cycle.join(' → ')}. A metric cannot drive itself; remove one of these drivers.`);
  }

  model.strategy.goals.forEach((goal, i) => {
    if (!metricIds.includes(goal.metric)) say('strategy', ['goals', i, 'metric'], `unknown metric "${goal.metric}". ${knownMetrics}`);
  });
  model.strategy.hypotheses.forEach((h, i) => {
    if (!goalIds.includes(h.goal)) say('strategy', ['hypotheses', i, 'goal'], `unknown goal "${h.goal}". Goals in data/model/strategy.yaml: ${goalIds.join(', ')}.`);
    if (!metricIds.includes(h.metric)) say('strategy', ['hypotheses', i, 'metric'], `unknown metric "${h.metric}". ${knownMetrics}`);
  });
  return problems;
}
