/**
 * Number and date formats for UK readers: en-GB, pounds sterling.
 * Shared by the build and the browser so a redrawn chart reads the same.
 */

export type Unit = 'currency' | 'count' | 'ratio' | 'percent';

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
const monthYear = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const longMonthYear = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A value in full: "£41,230", "1,204", "12.5%". */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'currency':
      return currency.format(value);
    case 'percent':
      return percent.format(value);
    case 'ratio':
      return ratio.format(value);
    default:
      return count.format(value);
  }
}

/** A short value for axes and tight spaces: "£41.2k", "1.2k". */
export function formatCompact(value: number, unit: Unit): string {
  switch (unit) {
    case 'currency':
      return currencyCompact.format(value);
    case 'count':
      return countCompact.format(value);
    default:
      return formatValue(value, unit);
  }
}

/** "Oct 2026" (UTC, so a date never slips a month by time zone). */
export function formatMonth(date: Date): string {
  return monthYear.format(date);
}

/** "October 2026". */
export function formatLongMonth(date: Date): string {
  return longMonthYear.format(date);
}
