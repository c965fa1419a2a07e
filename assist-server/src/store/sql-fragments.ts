/**
 * SQL fragments that differ between the dialects (db/sql-database.ts), shared by the stores: JSON
 * array elements as rows, one JSON field, a boolean as 0/1.
 */
import type { SqlDialect } from '../db/sql-database.ts';

/** A FROM item yielding the elements of a JSON array of strings as rows of `alias.value`. */
export function jsonArrayRows(dialect: SqlDialect, expr: string, alias: string): string {
  return dialect === 'postgres' ? `json_array_elements_text(${expr}::json) AS ${alias}(value)` : `json_each(${expr}) ${alias}`;
}

/** A JSON string field of a JSON TEXT column, as text (path: property names from the top). */
export function jsonText(dialect: SqlDialect, expr: string, path: string[]): string {
  return dialect === 'postgres' ? `(${expr}::json #>> '{${path.join(',')}}')` : `json_extract(${expr}, '$.${path.join('.')}')`;
}

/** A condition as an integer 0/1 (PostgreSQL has no implicit boolean → integer). */
export function asInt(condition: string): string {
  return `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}
