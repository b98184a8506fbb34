/**
 * Writes the bundled demo extract, data/sources/orders.csv: three years of
 * orders for the two business lines of a fictional company, with growth and
 * seasonality. Deterministic (fixed seed), so the committed file can be
 * checked fresh: `npm run demo-data && git diff --exit-code data/sources`.
 *
 * Usage: npm run demo-data
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/lib/random.ts';

const out = fileURLToPath(new URL('../data/sources/orders.csv', import.meta.url));
const random = seededRandom(20261031);

const lines = [
  // Casting: many small orders; Production: fewer, larger ones.
  { name: 'Casting', prefix: 'C', perDay: 3.2, meanAmount: 42, growth: 0.018 },
  { name: 'Production', prefix: 'P', perDay: 1.1, meanAmount: 380, growth: 0.009 },
];
// Relative demand by calendar month (January first): a summer peak, a December dip.
const season = [0.9, 0.95, 1.0, 1.02, 1.08, 1.15, 1.2, 1.12, 1.05, 1.0, 0.98, 0.8];

const start = Date.UTC(2023, 10, 1); // 1 November 2023
const end = Date.UTC(2026, 9, 31); // 31 October 2026
const day = 86_400_000;

/** Poisson draw by inversion; fine for the small means used here. */
function poisson(mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let sum = p;
  const u = random();
  while (u > sum) {
    k += 1;
    p *= mean / k;
    sum += p;
  }
  return k;
}

const rows = ['order_id,order_date,business_line,customer_id,amount_gbp'];
let serial = 0;
for (let t = start; t <= end; t += day) {
  const date = new Date(t);
  const monthsIn = (date.getUTCFullYear() - 2023) * 12 + date.getUTCMonth() - 10;
  for (const line of lines) {
    const mean = line.perDay * season[date.getUTCMonth()]! * (1 + line.growth) ** monthsIn;
    const count = poisson(mean);
    for (let i = 0; i < count; i += 1) {
      serial += 1;
      const customer = `${line.prefix}${String(1 + Math.floor(random() * 400 * (1 + monthsIn / 24))).padStart(5, '0')}`;
      // A skewed spend: most orders near the mean, a few much larger.
      const amount = line.meanAmount * (0.4 + random() * 0.9 + random() ** 6 * 2.5);
      rows.push(
        [`O${String(serial).padStart(6, '0')}`, date.toISOString().slice(0, 10), line.name, customer, amount.toFixed(2)].join(','),
      );
    }
  }
}
writeFileSync(out, `${rows.join('\n')}\n`);
console.log(`Wrote ${rows.length - 1} orders to ${out}`);
