/**
 * "Why, not just what": how much each driver in the metrics tree contributed
 * to a metric's change between two periods.
 *
 * - sum (Y = A + B + …): each driver contributes its own change, A1 − A0.
 * - product (Y = A × B × …) and ratio (Y = A / B): a log split. Because
 *   ln(Y1/Y0) = Σ ln(Xi1/Xi0) (a ratio's denominator counts negatively),
 *   driver i gets the share ln(Xi1/Xi0) / Σ ln(Xj1/Xj0) of the change
 *   Y1 − Y0. This is the logarithmic mean Divisia index (LMDI): it needs no
 *   choice of order, leaves no interaction residual, and the parts always add
 *   up to the total. When Y did not move, each part is Y × ln(Xi1/Xi0) (the
 *   limit of the same formula).
 *
 * Anything the drivers do not account for (a sum whose parts are defined on
 * slightly different populations, say) is reported as a separate residual, so
 * the bars of the waterfall always add up to the real change.
 */
import { formatChange, formatRelativeChange, formatValue, type Unit } from './format.ts';
export type Relation = 'sum' | 'product' | 'ratio';

export interface DriverChange {
  id: string;
  label: string;
  before: number;
  after: number;
}

export interface Contribution {
  id: string;
  label: string;
  before: number;
  after: number;
  /** Its part of the change in the metric, in the metric's unit. */
  contribution: number;
}

export interface Decomposition {
  before: number;
  after: number;
  change: number;
  contributions: Contribution[];
  /** The part no driver explains (zero when the relation holds exactly). */
  residual: number;
}

export function decompose(relation: Relation, before: number, after: number, drivers: DriverChange[]): Decomposition {
  const change = after - before;
  let parts: number[];
  if (relation === 'sum') {
    parts = drivers.map((d) => d.after - d.before);
  } else {
    for (const d of drivers) {
      if (!(d.before > 0 && d.after > 0)) {
        throw new Error(`${d.label} is ${d.before <= 0 ? d.before : d.after}: a ${relation} split needs every driver above zero in both periods.`);
      }
    }
    const logs = drivers.map((d, i) => Math.log(d.after / d.before) * (relation === 'ratio' && i > 0 ? -1 : 1));
    const total = logs.reduce((a, b) => a + b, 0);
    // The drivers' product (or ratio) in each period: the split explains its change; any gap to the metric is residual.
    const modelled = (side: 'before' | 'after') =>
      drivers.reduce((acc, d, i) => (relation === 'ratio' && i > 0 ? acc / d[side] : acc * d[side]), 1);
    const m0 = modelled('before');
    const m1 = modelled('after');
    const modelledChange = m1 - m0;
    parts = Math.abs(total) < 1e-12 ? logs.map((l) => m1 * l) : logs.map((l) => (modelledChange * l) / total);
  }
  const explained = parts.reduce((a, b) => a + b, 0);
  const residual = Math.abs(change - explained) < 1e-9 * Math.max(1, Math.abs(before), Math.abs(after)) ? 0 : change - explained;
  return {
    before,
    after,
    change,
    contributions: drivers.map((d, i) => ({ ...d, contribution: parts[i]! })),
    residual,
  };
}

export interface SentenceOptions {
  /** "Bookings". */
  label: string;
  unit: Unit;
  /** "Sept 2026", "Oct 2026". */
  before: string;
  after: string;
  /** Each driver's unit, by id: counts move "more/fewer", anything else "higher/lower". */
  driverUnits: Record<string, Unit>;
}

/**
 * The one-sentence summary: "Bookings fell 73 (−2.3%) from Sept 2026 to
 * Oct 2026: lower bookings per active user took off 103, partly offset by
 * more active users (+30)." Drivers whose part rounds to nothing are left
 * out; a change that rounds to nothing reads "was flat".
 */
export function whyChangedSentence(d: Decomposition, options: SentenceOptions): string {
  const { label, unit } = options;
  const when = `from ${options.before} to ${options.after}`;
  const shown = (value: number) => formatChange(value, unit) !== formatValue(0, unit);
  const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
  const word = (c: Contribution) => {
    const up = c.after >= c.before;
    return options.driverUnits[c.id] === 'count' ? (up ? 'more' : 'fewer') : up ? 'higher' : 'lower';
  };
  const parts = d.contributions.filter((c) => shown(c.contribution)).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const residual = shown(d.residual) ? `; ${formatChange(d.residual, unit)} is not explained by the drivers` : '';
  if (!shown(d.change)) {
    const moves = parts.map((c) => `${word(c)} ${lower(c.label)} (${formatChange(c.contribution, unit)})`);
    return `${label} was flat ${when}, at ${formatValue(d.after, unit)}${moves.length > 0 ? `: ${moves.join(' and ')} cancelled out` : ''}${residual}.`;
  }
  const rose = d.change > 0;
  const relative = unit === 'percent' ? '' : formatRelativeChange(d.after, d.before);
  const head = `${label} ${rose ? 'rose' : 'fell'} ${formatChange(d.change, unit).replace(/^[+−]/, '')}${relative ? ` (${relative})` : ''} ${when}`;
  const along = parts.filter((c) => c.contribution > 0 === rose);
  const against = parts.filter((c) => c.contribution > 0 !== rose);
  const verb = rose ? 'added' : 'took off';
  const main = along.map((c) => `${word(c)} ${lower(c.label)} ${verb} ${formatChange(c.contribution, unit).replace(/^[+−]/, '')}`);
  const offset = against.map((c) => `${word(c)} ${lower(c.label)} (${formatChange(c.contribution, unit)})`);
  const body = main.length > 0 ? `: ${main.join(' and ')}${offset.length > 0 ? `, partly offset by ${offset.join(' and ')}` : ''}` : '';
  return `${head}${body}${residual}.`;
}
