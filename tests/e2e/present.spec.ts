/**
 * Presentation mode, in Chromium, against the site built for /insights/:
 * slides counted against each story's MDX, every key, deep links, notes kept
 * from the audience, the presenter view in step both ways, letterboxing,
 * live charts on slides, the deck offline and from file://, print and PDF.
 */
import { expect, test } from './fixtures.ts';
import { SLUG, DECK, source, expectedSlides, notesIn, stories, SLIDES, LINE, current, at, openDeck } from './deck.ts';

// The service worker downloads DuckDB (34 MB) for offline use: only the offline test needs it.
test.use({ serviceWorkers: 'block' });

for (const slug of stories) {
  test(`${slug}: a title slide and one slide for each boundary in its MDX`, async ({ page }) => {
    const expected = expectedSlides(source(slug));
    await page.goto(`/insights/stories/${slug}/present/`);
    await expect(page.locator('.deck > .deck-slide')).toHaveCount(expected);
    await expect(page.locator('.deck-counter')).toHaveText(`1 / ${expected}`);
    await expect(current(page).locator('h1')).toBeVisible();
  });
}

test('the roadshow deck has the slides its MDX asks for', () => {
  // Title, the statement <Slide>, seven ## headings, the closing <Slide> with a ## inside.
  expect(SLIDES).toBe(10);
});

test('arrows, space, PageUp/PageDown, Home/End, a number then Enter, and click move the deck, with progress shown', async ({ page, watch }) => {
  await openDeck(page);
  const steps: [string, number][] = [
    ['ArrowRight', 2],
    ['ArrowDown', 3],
    ['Space', 4],
    ['PageDown', 5],
    ['PageUp', 4],
    ['ArrowLeft', 3],
    ['ArrowUp', 2],
    ['Shift+Space', 1],
    ['ArrowLeft', 1],
    ['End', SLIDES],
    ['ArrowRight', SLIDES],
    ['Home', 1],
  ];
  for (const [key, slide] of steps) {
    await page.keyboard.press(key);
    await at(page, slide);
  }
  await page.keyboard.press('6');
  await expect(page.locator('.deck-jump')).toHaveText('Go to slide 6: press Enter');
  await page.keyboard.press('Enter');
  await at(page, 6);
  await expect(page.locator('.deck-jump')).toBeHidden();

  // A click (or tap) on the slide goes forward; a click on a link in it does not.
  await current(page).locator('h2').click();
  await at(page, 7);
  await expect(page.locator('.deck-counter')).toHaveText(`7 / ${SLIDES}`);
  await expect(page.locator('.deck-progress')).toHaveAttribute('aria-valuenow', '7');
  const width = page.viewportSize()!.width;
  // (The bar eases to its new width.)
  await expect.poll(async () => (await page.locator('.deck-progress__bar').boundingBox())!.width / width).toBeCloseTo(7 / SLIDES, 2);
  expect(watch.errors).toEqual([]);
});

test('F toggles full screen, O the overview grid, B and . the blank screen, Esc leaves them', async ({ page }) => {
  await openDeck(page);
  await page.keyboard.press('f');
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
  await page.keyboard.press('f');
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(false);

  await page.keyboard.press('o');
  await expect(page.locator('html')).toHaveAttribute('data-overview', '');
  for (const slide of await page.locator('.deck > .deck-slide').all()) await expect(slide).toBeVisible();
  await page.locator('.deck-slide[data-slide="4"]').click();
  await expect(page.locator('html')).not.toHaveAttribute('data-overview');
  await at(page, 4);
  await expect(page.locator('.deck-slide:not(.deck-slide--current)').first()).toBeHidden();
  await page.keyboard.press('o');
  await page.keyboard.press('Escape');
  await expect(page.locator('html')).not.toHaveAttribute('data-overview');

  const blank = page.locator('.deck-blank');
  await page.keyboard.press('b');
  await expect(blank).toBeVisible();
  // Black over the whole window.
  expect(await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.className)).toBe('deck-blank');
  await page.keyboard.press('b');
  await expect(blank).toBeHidden();
  await page.keyboard.press('.');
  await expect(blank).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(blank).toBeHidden();
  await at(page, 4);
});

test('a deep link opens its slide, and the slide survives a reload', async ({ page }) => {
  await openDeck(page, '#/5');
  await at(page, 5);
  await page.reload();
  await at(page, 5);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(new RegExp(`${DECK}#/6$`));
  await page.reload();
  await at(page, 6);
  await page.goto(`${DECK}#/99`);
  await at(page, SLIDES);
});

test('speaker notes never show to the audience, on any slide, in the overview or in print; the article has none', async ({ page, request }) => {
  const notes = notesIn(source(SLUG));
  expect(notes.length).toBeGreaterThanOrEqual(5);
  await openDeck(page);
  const shown = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  for (let slide = 1; slide <= SLIDES; slide += 1) {
    await at(page, slide);
    const text = await shown();
    for (const note of notes) expect(text).not.toContain(note);
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('o');
  for (const note of notes) expect(await shown()).not.toContain(note);
  await page.keyboard.press('o');
  await page.emulateMedia({ media: 'print' });
  for (const note of notes) expect(await shown()).not.toContain(note);
  const article = await (await request.get(`/insights/stories/${SLUG}/`)).text();
  for (const note of notes) expect(article.replace(/\s+/g, ' ')).not.toContain(note);
});

test.describe('the presenter view', () => {
  test.use({ timezoneId: 'Europe/London' });

  test('shows the current and next slide, the notes, elapsed time and the clock, and stays in step both ways', async ({ page, context }) => {
    await context.clock.install({ time: new Date('2026-11-10T14:05:00Z') });
    await openDeck(page, '#/3');
    const [presenter] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('p')]);
    await expect(presenter.locator('html')).toHaveAttribute('data-deck-view', 'presenter');
    expect(new URL(presenter.url()).searchParams.get('view')).toBe('presenter');
    await at(presenter, 3);
    await expect(current(presenter).locator('h2')).toHaveText('Our north star: bookings');
    await expect(presenter.locator('.deck-presenter__next-frame h2')).toHaveText('More people, fewer bookings each');
    await expect(presenter.locator('.deck-presenter__notes')).toContainText('The goal is 5,200 bookings a month by March 2027');
    await expect(presenter.locator('.deck-presenter__clock')).toHaveText('14:05');
    await expect(presenter.locator('.deck-presenter__elapsed')).toHaveText('0:00');
    await context.clock.runFor(65_000);
    await expect(presenter.locator('.deck-presenter__elapsed')).toHaveText('1:05');
    await expect(presenter.locator('.deck-presenter__clock')).toHaveText('14:06');

    // Audience → presenter.
    await page.keyboard.press('ArrowRight');
    await at(presenter, 4);
    await expect(presenter.locator('.deck-presenter__notes')).toContainText('Growth in people is healthy');
    // Presenter → audience, by key and by jump.
    await presenter.keyboard.press('PageDown');
    await at(page, 5);
    await presenter.keyboard.press('End');
    await at(page, SLIDES);
    await expect(presenter.locator('.deck-presenter__next')).toContainText('End of the deck');
    await presenter.keyboard.press('2');
    await presenter.keyboard.press('Enter');
    await at(page, 2);
    // The presenter can blank the room's screen.
    await presenter.keyboard.press('b');
    await expect(page.locator('.deck-blank')).toBeVisible();
    await presenter.keyboard.press('b');
    await expect(page.locator('.deck-blank')).toBeHidden();
    await expect(presenter.locator('.deck-blank')).toBeHidden();
  });

  test('a presenter view opened on its own (no opener) still follows the audience and leads it', async ({ page, context }) => {
    await openDeck(page, '#/2');
    const presenter = await context.newPage();
    await presenter.goto(`${DECK}?view=presenter`);
    // On connecting it takes the audience's slide.
    await at(presenter, 2);
    await page.keyboard.press('ArrowRight');
    await at(presenter, 3);
    await presenter.keyboard.press('ArrowLeft');
    await at(page, 2);
  });
});

test('a slide keeps 16:9 in any window, centred with black bars, and no slide overflows', async ({ page }) => {
  await openDeck(page, '#/4');
  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
    [1000, 1000],
    [2000, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    const box = (await current(page).boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(16 / 9, 2);
    expect(Math.min(width - box.width, height - box.height)).toBeLessThan(1);
    expect(Math.abs(box.x - (width - box.width) / 2)).toBeLessThan(1);
    expect(Math.abs(box.y - (height - box.height) / 2)).toBeLessThan(1);
    // The design canvas scales: the heading takes the same share of the slide at every size.
    const heading = (await current(page).locator('h2').boundingBox())!;
    expect(heading.height / box.height).toBeCloseTo(0.075, 1);
  }
  expect(await page.locator('.deck-slide[data-overflow]').count()).toBe(0);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');
});

test('charts on slides re-query in DuckDB-WASM over HTTP, and keys in an input stay the input’s', async ({ page, watch }) => {
  await openDeck(page, '#/3');
  const select = current(page).getByRole('combobox', { name: 'Business line' });
  await select.selectOption('Production');
  for (const slide of ['3', '4']) {
    const figure = page.locator(`.deck-slide[data-slide="${slide}"] .plotline-chart`);
    await expect(figure.locator(`.plotline-chart__plot--slide svg ${LINE}`)).toHaveCount(1, { timeout: 30_000 });
    await expect(figure).toHaveAttribute('data-state', 'ready');
  }
  await select.press('ArrowDown');
  await at(page, 3);
  expect(watch.errors).toEqual([]);
});
