import {
  type DuckDBArrayValue,
  type DuckDBBitValue,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBGeometryValue,
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBStructValue,
  type DuckDBTimeNSValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBTimeTZValue,
  type DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBUnionValue,
  type DuckDBValue,
  fromVariantValue,
} from '@duckdb/node-api';
import { formatDate, formatOffset, formatTimeOfDay, formatTimestamp } from './temporal-format.js';

/** Converts one non-NULL DuckDB value of a known type to the JS value the data plane promises. */
export type ValueReader = (value: DuckDBValue) => unknown;

/**
 * The JS value `readChunks` yields for each DuckDB type (NULL is always `null`):
 * - BOOLEAN → boolean; TINYINT…INTEGER, UTINYINT…UINTEGER, FLOAT, DOUBLE → number
 * - BIGINT, UBIGINT, HUGEINT, UHUGEINT, BIGNUM → bigint (exact, never rounded through a double)
 * - DECIMAL(p,s) → string with exactly s fraction digits (`"12.50"`), exact
 * - VARCHAR, JSON, ENUM → string; UUID → lower-case `8-4-4-4-12` string; BIT → string of 0/1
 * - BLOB, GEOMETRY (WKB) → Uint8Array (a Node Buffer)
 * - DATE, TIME, TIMETZ, TIMESTAMP*, TIMESTAMPTZ → text as described in temporal-format.ts
 * - INTERVAL → DuckDB's text (`1 year 2 months 3 days 04:05:06`)
 * - LIST, ARRAY → arrays; STRUCT → plain objects; MAP → arrays of `{ key, value }` (keys can be
 *   any type); UNION → the value of its active member; all converted recursively.
 */
export function readerFor(type: DuckDBType): ValueReader {
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
      return (value) => (value as DuckDBDecimalValue).toString();
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.INTERVAL:
      return (value) => String(value);
    case DuckDBTypeId.BIT:
      return (value) => (value as DuckDBBitValue).toString();
    case DuckDBTypeId.BLOB:
      return (value) => (value as DuckDBBlobValue).bytes;
    case DuckDBTypeId.GEOMETRY:
      return (value) => (value as DuckDBGeometryValue).bytes;
    case DuckDBTypeId.DATE:
      return (value) => {
        const date = value as DuckDBDateValue;
        return date.isFinite ? formatDate(date.days) : infinityText(date.days > 0);
      };
    case DuckDBTypeId.TIME:
      return (value) => formatTimeOfDay((value as DuckDBTimeValue).micros * 1000n);
    case DuckDBTypeId.TIME_NS:
      return (value) => formatTimeOfDay((value as DuckDBTimeNSValue).nanos);
    case DuckDBTypeId.TIME_TZ:
      return (value) => {
        const time = value as DuckDBTimeTZValue;
        return `${formatTimeOfDay(time.micros * 1000n)}${formatOffset(time.offset)}`;
      };
    case DuckDBTypeId.TIMESTAMP:
      return timestampReader((value) => (value as DuckDBTimestampValue).micros * 1000n, 'none');
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampReader(
        (value) => (value as DuckDBTimestampSecondsValue).seconds * 1_000_000_000n,
        'none',
      );
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampReader(
        (value) => (value as DuckDBTimestampMillisecondsValue).millis * 1_000_000n,
        'none',
      );
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestampReader((value) => (value as DuckDBTimestampNanosecondsValue).nanos, 'none');
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampReader((value) => (value as DuckDBTimestampTZValue).micros * 1000n, 'utc');
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const readItem = nullable(readerFor(type.valueType));
      return (value) => (value as DuckDBListValue | DuckDBArrayValue).items.map(readItem);
    }
    case DuckDBTypeId.STRUCT: {
      const readers = type.entryTypes.map((entryType) => nullable(readerFor(entryType)));
      return (value) => {
        const entries = (value as DuckDBStructValue).entries;
        const result: Record<string, unknown> = {};
        type.entryNames.forEach((name, index) => {
          result[name] = readers[index]!(entries[name] ?? null);
        });
        return result;
      };
    }
    case DuckDBTypeId.MAP: {
      const readKey = nullable(readerFor(type.keyType));
      const readValue = nullable(readerFor(type.valueType));
      return (value) =>
        (value as DuckDBMapValue).entries.map((entry) => ({
          key: readKey(entry.key),
          value: readValue(entry.value),
        }));
    }
    case DuckDBTypeId.UNION:
      return (value) => {
        const union = value as DuckDBUnionValue;
        return nullable(readerFor(type.memberTypeForTag(union.tag)))(union.value);
      };
    case DuckDBTypeId.VARIANT:
      return (value) =>
        fromVariantValue(value, type, (inner, innerType) => nullable(readerFor(innerType))(inner) as never);
    default:
      // booleans, numbers, bigints and strings already are the JS values we promise
      return (value) => value;
  }
}

export function nullable(reader: ValueReader): (value: DuckDBValue) => unknown {
  return (value) => (value === null ? null : reader(value));
}

function timestampReader(toNanos: (value: DuckDBValue) => bigint, zone: 'none' | 'utc'): ValueReader {
  return (value) => {
    const timestamp = value as { isFinite: boolean };
    const nanos = toNanos(value);
    return timestamp.isFinite ? formatTimestamp(nanos, zone) : infinityText(nanos > 0n);
  };
}

function infinityText(positive: boolean): string {
  return positive ? 'infinity' : '-infinity';
}
