/**
 * WhyChanged's split, on examples small enough to work out by hand.
 */
import { describe, expect, it } from 'vitest';
import { decompose, whyChangedSentence } from '../../src/lib/why-changed.ts';

describe('decompose', () => {
  it('splits a product of two drivers by their log changes, and the parts add up to the change', () => {
    // Revenue = customers × spend per customer: 100 × £2 = £200 → 120 × £2.50 = £300, up £100.
    // ln(120/100) = ln 1.2 = 0.1823216; ln(2.5/2) = ln 1.25 = 0.2231436; together ln 1.5 = 0.4054651.
    // Customers: £100 × 0.1823216 / 0.4054651 = £44.966; spend: £100 × 0.2231436 / 0.4054651 = £55.034.
    const d = decompose('product', 200, 300, [
      { id: 'customers', label: 'Customers', before: 100, after: 120 },
      { id: 'spend', label: 'Spend per customer', before: 2, after: 2.5 },
    ]);
    expect(d.change).toBe(100);
    expect(d.contributions[0]!.contribution).toBeCloseTo(44.966, 3);
    expect(d.contributions[1]!.contribution).toBeCloseTo(55.034, 3);
    expect(d.contributions[0]!.contribution + d.contributions[1]!.contribution).toBeCloseTo(100, 9);
    expect(d.residual).toBe(0);
  });

  it('gives opposite moves opposite signs', () => {
    // 10 × 5 = 50 → 20 × 2 = 40: ln 2 = 0.693147, ln 0.4 = −0.916291, total ln 0.8 = −0.223144.
    // Volume: −10 × 0.693147 / −0.223144 = +31.063; price: −10 × −0.916291 / −0.223144 = −41.063.
    const d = decompose('product', 50, 40, [
      { id: 'volume', label: 'Volume', before: 10, after: 20 },
      { id: 'price', label: 'Price', before: 5, after: 2 },
    ]);
    expect(d.contributions[0]!.contribution).toBeCloseTo(31.063, 3);
    expect(d.contributions[1]!.contribution).toBeCloseTo(-41.063, 3);
  });

  it('splits a ratio with its denominator counting against it', () => {
    // Conversion = buyers / visitors: 50/500 = 0.10 → 72/600 = 0.12, up 0.02.
    // ln(72/50) = 0.364643; −ln(600/500) = −0.182322; total ln 1.2 = 0.182322.
    // Buyers: 0.02 × 0.364643 / 0.182322 = +0.04; visitors: 0.02 × −0.182322 / 0.182322 = −0.02.
    const d = decompose('ratio', 0.1, 0.12, [
      { id: 'buyers', label: 'Buyers', before: 50, after: 72 },
      { id: 'visitors', label: 'Visitors', before: 500, after: 600 },
    ]);
    expect(d.contributions[0]!.contribution).toBeCloseTo(0.04, 9);
    expect(d.contributions[1]!.contribution).toBeCloseTo(-0.02, 9);
  });

  it('adds up a sum driver by driver, and shows what the drivers do not explain', () => {
    // Active users 300 → 330 from new 100 → 90 and returning 200 → 235: −10 + 35 = 25, so 5 unexplained.
    const d = decompose('sum', 300, 330, [
      { id: 'new', label: 'New users', before: 100, after: 90 },
      { id: 'returning', label: 'Returning users', before: 200, after: 235 },
    ]);
    expect(d.contributions.map((c) => c.contribution)).toEqual([-10, 35]);
    expect(d.residual).toBe(5);
  });

  it('refuses a log split when a driver is zero', () => {
    expect(() => decompose('product', 0, 10, [
      { id: 'a', label: 'Searchers', before: 0, after: 5 },
      { id: 'b', label: 'Bookings per searcher', before: 1, after: 2 },
    ])).toThrow('Searchers is 0: a product split needs every driver above zero in both periods.');
  });
});

describe('whyChangedSentence', () => {
  const options = { label: 'Revenue', unit: 'currency' as const, before: 'Sept 2026', after: 'Oct 2026', driverUnits: { customers: 'count' as const, spend: 'currency' as const } };

  it('names the drivers that moved it and those that held it back', () => {
    // £50 → £40 (−£10, −20%): volume 10 → 20 adds £31, price £5 → £2 takes off £41 (worked out above).
    const d = decompose('product', 50, 40, [
      { id: 'customers', label: 'Customers', before: 10, after: 20 },
      { id: 'spend', label: 'Spend per customer', before: 5, after: 2 },
    ]);
    expect(whyChangedSentence(d, options)).toBe('Revenue fell £10 (−20%) from Sept 2026 to Oct 2026: lower spend per customer took off £41, partly offset by more customers (+£31).');
  });

  it('says a change that rounds to nothing was flat, and which moves cancelled out', () => {
    // 100 × £2 = £200 → 125 × £1.60 = £200: ln 1.25 = 0.223144 and ln 0.8 = −0.223144 cancel, so each part is
    // £200 × ±0.223144 = ±£44.63.
    const d = decompose('product', 200, 200, [
      { id: 'customers', label: 'Customers', before: 100, after: 125 },
      { id: 'spend', label: 'Spend per customer', before: 2, after: 1.6 },
    ]);
    expect(whyChangedSentence(d, options)).toBe('Revenue was flat from Sept 2026 to Oct 2026, at £200: more customers (+£45) and lower spend per customer (−£45) cancelled out.');
  });
});
