/**
 * Component props checked against their schemas (src/site/props.ts): the
 * mistakes that used to pass silently (a misspelt prop, a value of the wrong
 * type) stop the render, naming the story, the component and what to write.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPONENT_PROPS } from '../../src/components/story-components.ts';
import { propsTable } from '../../src/site/props.ts';
import { tinySnapshotForSite } from './tiny-company.ts';

type Component = Parameters<AstroContainer['renderToString']>[0];
const FILE = 'src/stories/props-test.mdx';
let container: AstroContainer;
const components: Record<string, Component> = {};

beforeAll(async () => {
  await tinySnapshotForSite('props');
  for (const name of ['LineChart', 'Kpi', 'Table', 'Select', 'Callout', 'Slide']) components[name] = (await import(`../../src/components/${name}.astro`)).default;
  container = await AstroContainer.create();
});

const render = (name: string, props: Record<string, unknown>) => container.renderToString(components[name]!, { props, locals: { story: { file: FILE, snapshot: '2027-01', inputs: {} } } });

describe('props checked against their schemas', () => {
  it('names a misspelt prop and the one it probably means', async () => {
    await expect(render('LineChart', { title: 'Revenue', metric: 'revenue', form: '2026-10' })).rejects.toThrow(`${FILE}  <LineChart title="Revenue">: unknown prop "form". Did you mean "from"?`);
    await expect(render('LineChart', { title: 'Revenue', metric: 'revenue', businessline: 'Casting' })).rejects.toThrow('unknown prop "businessline". Did you mean "businessLine"?');
  });

  it('lists the props a component takes when nothing is close', async () => {
    await expect(render('Callout', { colour: 'red' })).rejects.toThrow(`${FILE}  <Callout>: unknown prop "colour". It takes: type, title.`);
  });

  it('names a value of the wrong type with the type it takes', async () => {
    await expect(render('LineChart', { title: 'Revenue', metric: 'revenue', target: 'lots' })).rejects.toThrow(
      `${FILE}  <LineChart title="Revenue">: target is "lots", but it takes true or false or a number.`,
    );
    await expect(render('Select', { name: 'line', label: 'Line', options: 'Casting' })).rejects.toThrow('<Select name="line">: options is "Casting", but it takes a list, such as {[…]}, of text.');
  });

  it('reports every problem of one component at once', async () => {
    const error = await render('Kpi', { metric: 'revenue', compare: 'both', perod: '2026-12', lable: 'x' }).catch((e: Error) => e);
    expect((error as Error).message).toBe(`${FILE}  <Kpi metric="revenue">: 2 problems:\n  unknown prop "perod". Did you mean "period"?\n  unknown prop "lable". Did you mean "label"?`);
  });

  it('a LineChart does not take a type: it is a line', async () => {
    await expect(render('LineChart', { title: 'Revenue', metric: 'revenue', type: 'bar' })).rejects.toThrow('unknown prop "type".');
  });

  it('a schema says what it allows in its own words', async () => {
    await expect(render('Table', { title: 'Revenue', metric: 'revenue', grain: 'quarter' })).rejects.toThrow('<Table title="Revenue">: grain "quarter" is not one of month, week.');
  });

  it("gives the gallery's table of every component's props, each with a description", () => {
    const chart = propsTable(COMPONENT_PROPS.Chart!);
    expect(chart.find((p) => p.name === 'title')).toMatchObject({ required: true, takes: 'text' });
    expect(chart.find((p) => p.name === 'layout')).toMatchObject({ required: false, takes: '"stacked" or "grouped"' });
    expect(chart.find((p) => p.name === 'target')!.takes).toBe('true or false or a number');
    for (const [component, schema] of Object.entries(COMPONENT_PROPS)) {
      for (const prop of propsTable(schema)) expect(prop.description, `${component} ${prop.name}`).not.toBe('');
    }
  });
});
