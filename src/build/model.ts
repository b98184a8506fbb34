/**
 * Loads the semantic model from data/model/*.yaml: parses each file, checks
 * it against the schema, then checks what refers to what (a metric's source
 * and dimensions, tree drivers, goals' metrics) and that the tree has no
 * cycle and one north star. Every problem is reported as
 * `data/model/metrics.yaml:42  metrics[3].unit: …` so an editor can jump to it.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Metric, MODEL_FILES, type Model } from '../lib/model-schema.ts';

export class ModelError extends Error {
  override name = 'ModelError';
}

type Part = keyof typeof MODEL_FILES;
type Path = (string | number)[];

export interface LoadedModel {
  model: Model;
  /** "data/model/metrics.yaml:42" for a key path in a model file (the file alone if the path is not found). */
  where: (part: Part, path: Path) => string;
}

export function loadModel(root: string, modelDir = join(root, 'data/model')): LoadedModel {
  const docs = new Map<Part, { doc: ReturnType<typeof parseDocument>; lines: LineCounter; file: string }>();
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
      for (const error of doc.errors) problems.push(`${shown}:${error.linePos?.[0]?.line ?? 1}  not valid YAML: ${error.message.split('\n')[0]}`);
      continue;
    }
    const result = (schema as z.ZodType).safeParse(doc.toJS());
    if (result.success) parsed[part] = result.data;
    else for (const issue of result.error.issues) problems.push(`${locate(docs.get(part)!, issue.path as Path)}  ${describePath(issue.path as Path)}: ${issue.message}.`);
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

function locate(entry: { doc: ReturnType<typeof parseDocument>; lines: LineCounter; file: string }, path: Path): string {
  // The deepest node on the path that exists.
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = entry.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return `${entry.file}:${entry.lines.linePos(node.range[0]).line}`;
  }
  return entry.file;
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
  const duplicates = (ids: string[]) => ids.filter((x, i) => ids.indexOf(x) !== i);
  for (const d of duplicates(sourceIds)) say('sources', ['sources', sourceIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  for (const d of duplicates(factIds)) say('facts', ['facts', factIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);
  for (const d of duplicates(metricIds)) say('metrics', ['metrics', metricIds.lastIndexOf(d), 'id'], `"${d}" is defined twice; ids must be unique.`);

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
    const factGrains = fact.grains ?? ['month', 'week'];
    metric.grains.forEach((grain, j) => {
      if (!factGrains.includes(grain)) say('metrics', ['metrics', i, 'grains', j], `source ${fact.id} has no ${grain} grain (it has ${factGrains.join(', ')}).`);
    });
    metric.tree?.drivers.forEach((driver, j) => {
      if (!metricIds.includes(driver)) say('metrics', ['metrics', i, 'tree', 'drivers', j], `unknown metric "${driver}".`);
    });
  });

  const northStars = model.metrics.filter((m) => m.northStar);
  if (northStars.length !== 1) {
    say('metrics', ['metrics'], `exactly one metric must have northStar: true; found ${northStars.length}${northStars.length > 0 ? ` (${northStars.map((m) => m.id).join(', ')})` : ''}.`);
  }
  const cycle = findCycle(model.metrics);
  if (cycle) {
    const at = model.metrics.findIndex((m) => m.id === cycle[0]);
    say('metrics', ['metrics', at, 'tree', 'drivers'], `the metrics tree has a cycle: ${cycle.join(' → ')}. A metric cannot drive itself; remove one of these drivers.`);
  }

  model.strategy.goals.forEach((goal, i) => {
    if (!metricIds.includes(goal.metric)) say('strategy', ['goals', i, 'metric'], `unknown metric "${goal.metric}".`);
  });
  const goalIds = model.strategy.goals.map((g) => g.id);
  model.strategy.hypotheses.forEach((h, i) => {
    if (!goalIds.includes(h.goal)) say('strategy', ['hypotheses', i, 'goal'], `unknown goal "${h.goal}". Goals: ${goalIds.join(', ')}.`);
    if (!metricIds.includes(h.metric)) say('strategy', ['hypotheses', i, 'metric'], `unknown metric "${h.metric}".`);
  });
  return problems;
}

/** A cycle in the drivers graph, as a path that returns to its start, or null. */
export function findCycle(metrics: Metric[]): string[] | null {
  const drivers = new Map(metrics.map((m) => [m.id, m.tree?.drivers ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of drivers.get(id) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const m of metrics) {
    const found = visit(m.id);
    if (found) return found;
  }
  return null;
}
