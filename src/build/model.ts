/**
 * The walking skeleton's semantic model: one source and the monthly metrics
 * computed from it. The next step moves this into data/model/*.yaml with a
 * validated schema; the export reads only these shapes, so that swap stays
 * local to this file.
 */

export interface SourceColumn {
  name: string;
  /** A DuckDB type: VARCHAR, DATE, DOUBLE, INTEGER, … */
  type: string;
}

export interface Source {
  /** Table name the source is loaded as. */
  name: string;
  /** Path from the project root. */
  file: string;
  columns: SourceColumn[];
  primaryKey: string;
  /** The column that dates each row (a day). */
  timeColumn: string;
  /** Personal data: used in aggregates, never exported. */
  personal: string[];
}

export interface Metric {
  id: string;
  label: string;
  /** Plain English, for staff. */
  description: string;
  unit: 'currency' | 'count' | 'ratio' | 'percent';
  source: string;
  /** A SQL aggregate over the source's rows. */
  expression: string;
}

export const sources: Source[] = [
  {
    name: 'orders',
    file: 'data/sources/orders.csv',
    columns: [
      { name: 'order_id', type: 'VARCHAR' },
      { name: 'order_date', type: 'DATE' },
      { name: 'business_line', type: 'VARCHAR' },
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'amount_gbp', type: 'DOUBLE' },
    ],
    primaryKey: 'order_id',
    timeColumn: 'order_date',
    personal: ['customer_id'],
  },
];

export const metrics: Metric[] = [
  {
    id: 'revenue',
    label: 'Revenue',
    description: 'Money taken from orders in the month, in pounds, before costs.',
    unit: 'currency',
    source: 'orders',
    expression: 'sum(amount_gbp)',
  },
  {
    id: 'orders',
    label: 'Orders',
    description: 'Number of orders placed in the month.',
    unit: 'count',
    source: 'orders',
    expression: 'count(*)',
  },
  {
    id: 'active_customers',
    label: 'Active customers',
    description: 'Customers who placed at least one order in the month.',
    unit: 'count',
    source: 'orders',
    expression: 'count(DISTINCT customer_id)',
  },
  {
    id: 'average_order_value',
    label: 'Average order value',
    description: 'Revenue divided by the number of orders, in pounds.',
    unit: 'currency',
    source: 'orders',
    expression: 'sum(amount_gbp) / count(*)',
  },
];

/** The business line value that stands for the company total in snapshots. */
export const ALL_LINES = 'All';
