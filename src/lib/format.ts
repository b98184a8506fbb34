/**
 * Number and date formats for UK readers: en-GB, pounds sterling.
 * Shared by the build and the browser so a redrawn chart reads the same.
 */

import type { Unit } from './model-schema.ts';

/** What a number measures: the model's units (model-schema.ts). A duration is in hours. */
export type { Unit };

export const UNIT_NAMES: Record<Unit, string> = {
  count: 'a count',
  currency: 'pounds sterling',
  percent: 'a percentage',
  ratio: 'a ratio',
  duration: 'hours',
};

const currency = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const currencyCompact = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  notation: 'compact',
  maximumSignificantDigits: 3,
});
const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const countCompact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumSignificantDigits: 3 });
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });
const ratio = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const hours = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const points = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const signedPercent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const monthYear = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const longMonthYear = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A value in full: "£41,230", "1,204", "12.5%", "1.45", "11.2 hours"; below zero with a minus sign, "−£1,234". */
export function formatValue(value: number, unit: Unit): string {
  return unsigned(value, unit).replace('-', '−');
}

function unsigned(value: number, unit: Unit): string {
  switch (unit) {
    case 'currency':
      return currency.format(value);
    case 'percent':
      return percent.format(value);
    case 'ratio':
      return ratio.format(value);
    case 'duration': {
      const text = hours.format(value);
      return `${text} ${text === '1' || text === '-1' ? 'hour' : 'hours'}`;
    }
    default:
      return count.format(value);
  }
}

/** A short value for axes and tight spaces: "£41.2k", "1.2k", "11.2h"; below zero with a minus sign. */
export function formatCompact(value: number, unit: Unit): string {
  const text = unit === 'currency' ? currencyCompact.format(value) : unit === 'count' ? countCompact.format(value) : unit === 'duration' ? `${hours.format(value)}h` : unsigned(value, unit);
  return text.replace('-', '−');
}

/**
 * A change between two values, signed, in the unit's own terms: a share moves
 * in percentage points ("+1.2 pts"), anything else by its amount ("+£3,400",
 * "−120"). Use `formatRelativeChange` for "+4.5%".
 */
export function formatChange(delta: number, unit: Unit): string {
  if (unit === 'percent') return `${points.format(delta * 100).replace('-', '−')} pts`;
  const text = formatValue(Math.abs(delta), unit);
  // A change that rounds to nothing has no sign: "0", not "+0".
  if (text === formatValue(0, unit)) return text;
  return delta > 0 ? `+${text}` : delta < 0 ? `−${text}` : text;
}

/** "+4.5%", "−12%"; an empty string when the base is zero (no meaningful ratio). */
export function formatRelativeChange(current: number, previous: number): string {
  if (previous === 0 || !Number.isFinite(previous)) return '';
  return signedPercent.format((current - previous) / Math.abs(previous)).replace('-', '−');
}

/** "Oct 2026" (UTC, so a date never slips a month by time zone). */
export function formatMonth(date: Date): string {
  return monthYear.format(date);
}

/** "October 2026". */
export function formatLongMonth(date: Date): string {
  return longMonthYear.format(date);
}

/** "3 November 2026". */
export function formatDate(date: Date): string {
  return longDate.format(date);
}

/** "30 October 2026" from "2026-10-30". */
export function formatDay(day: string): string {
  return formatDate(new Date(`${day}T00:00:00Z`));
}

/** "3–4 January 2027", "30 December 2026 – 3 January 2027" from two "YYYY-MM-DD" days; one day alone when they are the same. */
export function formatDayRange(first: string, last: string): string {
  return longDate.formatRange(new Date(`${first}T00:00:00Z`), new Date(`${last}T00:00:00Z`));
}

const conjunction = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });

/** "a", "a and b", "a, b and c" (British: no comma before "and"). */
export const listed = (items: string[]): string => conjunction.format(items);

/** "1 row", "3,377 rows": a count of things in en-GB digits, the noun agreeing. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${count.format(n)} ${Math.abs(n) === 1 ? singular : plural}`;
}

/** "1 day", "3 days", "1,200 days". */
export function days(n: number): string {
  return countOf(n, 'day');
}

/** "October 2026" from "2026-10". */
export function formatPeriod(period: string): string {
  return formatLongMonth(new Date(`${period}-01T00:00:00Z`));
}

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "30 Oct 2026". */
export function formatShortDate(date: Date): string {
  return shortDate.format(date);
}
