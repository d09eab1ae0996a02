/** A WorldCat table as the PostgreSQL store shares it: its key, its other columns, each column's type. */
export interface SharedTable {
  name: string;
  key: readonly string[];
  columns: readonly string[];
  /** PostgreSQL array types for unnest(): every column, key first. */
  types: Readonly<Record<string, 'text' | 'bigint' | 'bytea'>>;
}

const t = (
  name: string,
  key: readonly string[],
  columns: readonly string[],
  types: SharedTable['types'],
): SharedTable => ({ name, key, columns, types });

/**
 * The WorldCat tables replicas share through PostgreSQL (every table of WORLDCAT_TABLES; the
 * watchers list follows the config and stays local). Columns unnamed in `types` are text.
 */
export const SHARED_TABLES: readonly SharedTable[] = [
  t('holdings', ['symbol', 'ocn'], ['file_id'], { file_id: 'bigint' }),
  t('lbd', ['symbol', 'lsn'], ['ocn', 'marc'], { marc: 'bytea' }),
  t(
    'lhrs',
    ['symbol', 'lsn'],
    ['ocn', 'holding_library', 'location', 'call_number', 'barcodes', 'file_id', 'marc'],
    {
      file_id: 'bigint',
      marc: 'bytea',
    },
  ),
  t('worldcat_keys', ['key'], ['ocn'], {}),
  t('worldcat_created', ['ocn'], ['symbol', 'lsn', 'file_id'], { file_id: 'bigint' }),
  t('counters', ['name'], ['value'], { value: 'bigint' }),
  t(
    'record_outcomes',
    ['file_id', 'seq'],
    ['offset', 'locator', 'lsn', 'incoming_ocn', 'worldcat_ocn', 'action', 'errors'],
    { file_id: 'bigint', seq: 'bigint', offset: 'bigint' },
  ),
  t('worldcat_records', ['ocn'], ['marc', 'updated_at'], { marc: 'bytea', updated_at: 'bigint' }),
  t('worldcat_merges', ['old'], ['current', 'at'], { at: 'bigint' }),
  t('worldcat_changes', ['seq'], ['at', 'kind', 'symbol', 'ocn', 'lsn', 'collection_id', 'from_ocn'], {
    seq: 'bigint',
    at: 'bigint',
  }),
  t('worldcat_history', ['seq'], ['at', 'symbol', 'holdings', 'lhrs', 'file_id'], {
    seq: 'bigint',
    at: 'bigint',
    holdings: 'bigint',
    lhrs: 'bigint',
    file_id: 'bigint',
  }),
];

export function allColumns(table: SharedTable): string[] {
  return [...table.key, ...table.columns];
}

export function typeOf(table: SharedTable, column: string): 'text' | 'bigint' | 'bytea' {
  return table.types[column] ?? 'text';
}
