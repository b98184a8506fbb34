/**
 * `npm run new -- "Title" [--period YYYY-MM] [--author "Name"]`: scaffolds a
 * monthly deep-dive in src/stories/ from the house template (headline KPIs,
 * what changed, why, what we will do, caveats), pinned to the newest
 * snapshot, with the current period filled in. Never overwrites a file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPeriod } from '../src/lib/format.ts';
import { MONTH } from '../src/lib/model-schema.ts';
import { parseCommandLine } from '../src/node/cli.ts';
import { loadModel } from '../src/node/load-model.ts';

const { values, positionals } = parseCommandLine(
  `npm run new -- "Title" [--period YYYY-MM] [--author "Name"] [--dir DIR]

Starts a monthly deep-dive from the house template, pinned to a snapshot. Never overwrites a file.
  --period YYYY-MM   the snapshot to pin (default the newest)
  --author "Name"    who writes it
  --dir DIR          where stories live (default src/stories)`,
  {
    allowPositionals: true,
    options: { period: { type: 'string' }, author: { type: 'string', default: 'Your name' }, dir: { type: 'string', default: 'src/stories' } },
  },
);
const title = positionals.join(' ').trim();
if (!title) {
  console.error('Give the story a title: npm run new -- "Bookings in November 2026"');
  process.exit(1);
}
const latestFile = join('public/data/snapshots/latest.json');
if (!existsSync(latestFile)) {
  console.error('No snapshot yet (public/data/snapshots/latest.json is missing). Run `npm run export` first.');
  process.exit(1);
}
const latest = (JSON.parse(readFileSync(latestFile, 'utf8')) as { snapshot?: string; id?: string; period?: string });
const snapshot = values.period ?? latest.snapshot ?? latest.id ?? latest.period!;
if (!MONTH.test(snapshot) || !existsSync(join('public/data/snapshots', snapshot, 'manifest.json'))) {
  console.error(`There is no snapshot ${snapshot} in public/data/snapshots/. Run \`npm run export -- --period ${snapshot}\` first.`);
  process.exit(1);
}
const slug = `${snapshot}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
const file = join(values.dir!, `${slug}.mdx`);
if (existsSync(file)) {
  console.error(`${file} already exists; choose another title or edit that story.`);
  process.exit(1);
}
const { model } = loadModel(process.cwd());
const star = model.metrics.find((m) => m.northStar)!;
const drivers = star.tree?.drivers ?? [];
const month = formatPeriod(snapshot);
const today = new Date().toISOString().slice(0, 10);

writeFileSync(
  file,
  `---
title: ${JSON.stringify(title)}
date: ${today}
period: ${snapshot}
summary: One sentence a busy reader can stop after. Say what changed and why it matters.
authors: [${JSON.stringify(values.author)}]
businessLines: [${model.calendar.businessLines.map((b) => b.id).join(', ')}]
metrics: [${[star.id, ...drivers].join(', ')}]
tags: [monthly]
draft: true
---

{/* Numbers come from snapshot ${snapshot}. \`npm run check\` runs every query here in seconds;
    \`npm run dev\` shows the page and reloads as you save. Delete draft: true to publish. */}

<div class="kpi-tiles">
${[star.id, ...drivers].map((id) => `  <Kpi metric="${id}" />`).join('\n')}
</div>

## Headline

In ${month}, <Term metric="${star.id}">${star.label.toLowerCase()}</Term> came to <Value metric="${star.id}" />,
<Value metric="${star.id}" show="relative" against="year_ago" /> on a year earlier.

## What changed

<LineChart title="${star.label} against its target" metric="${star.id}" from="${Number(snapshot.slice(0, 4)) - 1}-${snapshot.slice(5)}" target />

<BarChart title="${star.label} by business line" metric="${star.id}" by="business_line" from="${Number(snapshot.slice(0, 4)) - 1}-${snapshot.slice(5)}" />

## Why

${star.tree && star.tree.relation !== 'influences' ? `<WhyChanged metric="${star.id}" />` : `{/* ${star.id} has no additive or multiplicative drivers; explain the change in words. */}`}

## What we will do

<Decision what="What was decided" by="Who decided" date="${today}" metric="${star.id}" expected="The effect you expect, and by when" />

## Caveats

<Callout type="caveat">What a reader should be careful with: late data, a change of definition, a one-off.</Callout>
`,
);
console.log(`Created ${file} (snapshot ${snapshot}, draft). Next: npm run dev and open /stories/${slug}/ (drafts show in dev only); npm run check validates it in seconds.`);
