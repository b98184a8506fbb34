/**
 * The calendars the company's teams report on, and how the export brings
 * them to the reporting calendar (calendar months and ISO weeks, in UK time).
 *
 * Fiscal weeks (finance): the fiscal year starts on the Monday nearest
 * 1 April (so on 29 March – 4 April), weeks run Monday to Sunday, and a year
 * has 52 or 53 of them. Weeks are grouped 4-4-5 into fiscal periods, which
 * nothing here needs.
 *
 * Allocation rule: an amount reported for a fiscal week is spread evenly
 * over the week's seven days, and the days are then summed into calendar
 * months and ISO weeks. A week from Mon 29 September to Sun 5 October puts
 * 2/7 of its amount in September and 5/7 in October.
 */

/** SQL for the first day (a Monday) of fiscal year `year` (an integer SQL expression). */
export function fiscalYearStartSql(year: string): string {
  const april1 = `make_date(${year}, 4, 1)`;
  // isodow: Monday 1 … Sunday 7. Back to the previous Monday when it is at most 3 days away, else forward.
  return `(${april1} - ((isodow(${april1}) + 2) % 7 - 3)::INTEGER)`;
}

/**
 * SQL for the Monday that starts fiscal week `week` of fiscal year `year`;
 * NULL for a week the year does not have (below 1, or 53 in a 52-week
 * year), which would otherwise be a week of the next year counted twice.
 * A row without a date fails the export's "dates are present" check, with its line.
 */
export function fiscalWeekStartSql(year: string, week: string): string {
  return `(CASE WHEN (${week}) BETWEEN 1 AND ${fiscalWeeksInYearSql(year)} THEN ${fiscalYearStartSql(year)} + 7 * ((${week}) - 1)::INTEGER END)`;
}

/** SQL for the number of weeks (52 or 53) in fiscal year `year`. */
export function fiscalWeeksInYearSql(year: string): string {
  return `((${fiscalYearStartSql(`(${year}) + 1`)} - ${fiscalYearStartSql(year)}) // 7)`;
}
