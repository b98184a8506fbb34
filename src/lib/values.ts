/**
 * What an inline `Value` shows, from one query row: the value itself, its
 * change against a comparison column, or that change as a percentage.
 * Shared so the build and a live update print the same words.
 */
import { formatChange, formatRelativeChange, formatValue } from './format.ts';
import type { ValueOptions } from './value-options.ts';


/** The text for a row, or an en dash when the numbers are missing. */
export function displayValue(row: Record<string, unknown> | undefined, options: ValueOptions): string {
  const value = toNumber(row?.[options.column]);
  if (value === undefined) return '–';
  if (options.show === 'value') return formatValue(value, options.unit);
  const base = toNumber(options.against ? row?.[options.against] : undefined);
  if (base === undefined) return '–';
  if (options.show === 'change') return formatChange(value - base, options.unit);
  return formatRelativeChange(value, base) || '–';
}

function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
