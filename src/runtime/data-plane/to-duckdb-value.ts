import {
  arrayValue,
  bitValue,
  blobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  dateValue,
  geometryValue,
  intervalValue,
  listValue,
  mapValue,
  structValue,
  timeNSValue,
  timestampMillisValue,
  timestampNanosValue,
  timestampSecondsValue,
  timestampTZValue,
  timestampValue,
  timeTZValue,
  timeValue,
  uuidValue,
  variantValueFromJS,
} from '@duckdb/node-api';
import { scaledDecimalFromText } from './decimal-text.js';
import { jsonText } from './json-text.js';
import { type Parsed, parseDateText, parseTimestampText, parseTimeText } from './temporal-parse.js';

/** Converts one JS value (null and undefined included) to the DuckDB value for a column type. */
export type ValueWriter = (value: unknown) => DuckDBValue;

/** A JS value that does not fit its column; the caller adds the column and row. */
export class UnconvertibleValueError extends Error {
  constructor(
    readonly expected: string,
    readonly received: string,
  ) {
    super(`expected ${expected}, got ${received}`);
    this.name = 'UnconvertibleValueError';
  }
}

/** A column type `appendRows` cannot fill from JS values. */
export class UnsupportedColumnTypeError extends Error {
  constructor(readonly type: string) {
    super(`no JS value can be appended to a ${type} column`);
    this.name = 'UnsupportedColumnTypeError';
  }
}

/**
 * The JS values `appendRows` accepts for each DuckDB type. `null` and `undefined` are NULL for
 * every type; anything else not listed is refused with the column, the row and what was expected.
 * - BOOLEAN: boolean; number or bigint (0 is false, anything else true); string `true/false/t/f/yes/no/1/0`.
 * - TINYINT…INTEGER, UTINYINT…UINTEGER: integer number, bigint or integer string; range-checked.
 * - BIGINT, UBIGINT, HUGEINT, UHUGEINT, BIGNUM: bigint, integer number or integer string (the
 *   form drivers such as pg return); exact and range-checked.
 * - FLOAT, DOUBLE: number, bigint, or numeric string (`NaN`, `Infinity` included).
 * - DECIMAL(p,s): string (exact: `"-12.345"`, `"1e-7"`), number (its shortest decimal text, so
 *   `0.1` stays 0.1) or bigint; rounded half away from zero to s digits; more than p digits is refused.
 * - VARCHAR: string; numbers, bigints and booleans as text; Date as ISO 8601 (an invalid Date is
 *   refused); Uint8Array decoded
 *   as UTF-8 (invalid UTF-8 is refused); arrays and objects as JSON text.
 * - JSON: string (taken as JSON text, not re-validated); any other value is serialised to JSON
 *   (bigints exact, bytes as base64).
 * - UUID: string (any case, with or without hyphens or braces) or 16 bytes.
 * - BLOB, GEOMETRY (WKB): Uint8Array (Buffer included); string as its UTF-8 bytes.
 * - DATE: `YYYY-MM-DD` (a timestamp at exactly midnight is accepted), `infinity`/`-infinity`, or a
 *   Date (its UTC calendar day).
 * - TIME, TIME_NS: `HH:MM[:SS[.fffffffff]]` or a bigint (micro- resp. nanoseconds since midnight).
 *   TIMETZ: the same text with an optional `Z`/`±HH[:MM]` offset, or `{ micros, offset }` (seconds).
 * - TIMESTAMP, TIMESTAMP_S/_MS/_NS, TIMESTAMPTZ: ISO 8601 / SQL text
 *   `YYYY-MM-DD[( |T)HH:MM[:SS[.fffffffff]]][Z|±HH[:MM]]` (an offset is converted to UTC; without
 *   one the text is taken as UTC), `infinity`/`-infinity`, a Date, or a number of epoch milliseconds.
 * - INTERVAL: `{ months, days, micros }`.
 * - ENUM: one of the enum's strings. BIT: string of `0`/`1`. VARIANT: boolean, number, bigint or string.
 * - LIST/ARRAY: arrays; STRUCT: objects (missing keys are NULL); MAP: Map, plain object, or an
 *   array of `{ key, value }`; elements are converted by these same rules.
 */
export function writerFor(type: DuckDBType): ValueWriter {
  const write = scalarWriterFor(type);
  return (value) => (value === null || value === undefined ? null : write(value));
}

function scalarWriterFor(type: DuckDBType): ValueWriter {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return toBoolean;
    case DuckDBTypeId.TINYINT:
      return smallIntegerWriter('TINYINT', -128, 127);
    case DuckDBTypeId.SMALLINT:
      return smallIntegerWriter('SMALLINT', -32_768, 32_767);
    case DuckDBTypeId.INTEGER:
      return smallIntegerWriter('INTEGER', -2_147_483_648, 2_147_483_647);
    case DuckDBTypeId.UTINYINT:
      return smallIntegerWriter('UTINYINT', 0, 255);
    case DuckDBTypeId.USMALLINT:
      return smallIntegerWriter('USMALLINT', 0, 65_535);
    case DuckDBTypeId.UINTEGER:
      return smallIntegerWriter('UINTEGER', 0, 4_294_967_295);
    case DuckDBTypeId.BIGINT:
      return bigIntegerWriter('BIGINT', -(2n ** 63n), 2n ** 63n - 1n);
    case DuckDBTypeId.UBIGINT:
      return bigIntegerWriter('UBIGINT', 0n, 2n ** 64n - 1n);
    case DuckDBTypeId.HUGEINT:
      return bigIntegerWriter('HUGEINT', -(2n ** 127n), 2n ** 127n - 1n);
    case DuckDBTypeId.UHUGEINT:
      return bigIntegerWriter('UHUGEINT', 0n, 2n ** 128n - 1n);
    case DuckDBTypeId.BIGNUM:
      return bigIntegerWriter('BIGNUM', undefined, undefined);
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return toDouble;
    case DuckDBTypeId.DECIMAL:
      return decimalWriter(type.width, type.scale);
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? toJsonText : toText;
    case DuckDBTypeId.BLOB:
      return (value) => blobValue(toBytes(value, 'BLOB'));
    case DuckDBTypeId.GEOMETRY:
      return (value) => geometryValue(toBytes(value, 'GEOMETRY (WKB bytes)'));
    case DuckDBTypeId.UUID:
      return toUuid;
    case DuckDBTypeId.DATE:
      return toDate;
    case DuckDBTypeId.TIME:
      return (value) => timeValue(timeNanos(value, 'TIME', 1000n) / 1000n);
    case DuckDBTypeId.TIME_NS:
      return (value) => timeNSValue(timeNanos(value, 'TIME_NS', 1n));
    case DuckDBTypeId.TIME_TZ:
      return toTimeTz;
    case DuckDBTypeId.TIMESTAMP:
      return timestampWriter((nanos) => timestampValue(floorDivide(nanos, 1000n)), DuckDBTimestampValue);
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampWriter(
        (nanos) => timestampSecondsValue(floorDivide(nanos, 1_000_000_000n)),
        DuckDBTimestampSecondsValue,
      );
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampWriter(
        (nanos) => timestampMillisValue(floorDivide(nanos, 1_000_000n)),
        DuckDBTimestampMillisecondsValue,
      );
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestampWriter((nanos) => timestampNanosValue(nanos), DuckDBTimestampNanosecondsValue);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampWriter((nanos) => timestampTZValue(floorDivide(nanos, 1000n)), DuckDBTimestampTZValue);
    case DuckDBTypeId.INTERVAL:
      return toInterval;
    case DuckDBTypeId.ENUM: {
      const members = type.valueIndexes;
      return (value) => {
        if (typeof value === 'string' && Object.hasOwn(members, value)) return value;
        throw new UnconvertibleValueError(`one of ${String(type).slice(0, 200)}`, describe(value));
      };
    }
    case DuckDBTypeId.BIT:
      return (value) => {
        if (typeof value === 'string' && /^[01]+$/.test(value)) return bitValue(value);
        throw new UnconvertibleValueError('a string of 0 and 1', describe(value));
      };
    case DuckDBTypeId.VARIANT:
      return (value) => {
        if (['boolean', 'number', 'bigint', 'string'].includes(typeof value)) {
          return variantValueFromJS(value as boolean | number | bigint | string);
        }
        throw new UnconvertibleValueError('a boolean, number, bigint or string', describe(value));
      };
    case DuckDBTypeId.LIST: {
      const writeItem = writerFor(type.valueType);
      return (value) => listValue(toArray(value, String(type)).map(writeItem));
    }
    case DuckDBTypeId.ARRAY: {
      const writeItem = writerFor(type.valueType);
      return (value) => {
        const items = toArray(value, String(type));
        if (items.length !== type.length) {
          throw new UnconvertibleValueError(`an array of ${type.length} items`, `${items.length} items`);
        }
        return arrayValue(items.map(writeItem));
      };
    }
    case DuckDBTypeId.STRUCT: {
      const writers = type.entryTypes.map(writerFor);
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
          throw new UnconvertibleValueError(`an object for ${String(type)}`, describe(value));
        }
        const source = value as Record<string, unknown>;
        const entries: Record<string, DuckDBValue> = {};
        type.entryNames.forEach((name, index) => {
          entries[name] = writers[index]!(source[name]);
        });
        return structValue(entries);
      };
    }
    case DuckDBTypeId.MAP: {
      const writeKey = writerFor(type.keyType);
      const writeValue = writerFor(type.valueType);
      return (value) =>
        mapValue(
          mapEntries(value, String(type)).map(([key, item]) => ({
            key: writeKey(key),
            value: writeValue(item),
          })),
        );
    }
    case DuckDBTypeId.SQLNULL:
      return (value) => {
        throw new UnconvertibleValueError('NULL', describe(value));
      };
    default:
      throw new UnsupportedColumnTypeError(String(type));
  }
}

function toBoolean(value: unknown): DuckDBValue {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && !Number.isNaN(value)) return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (['true', 't', 'yes', 'y', '1'].includes(lower)) return true;
    if (['false', 'f', 'no', 'n', '0'].includes(lower)) return false;
  }
  throw new UnconvertibleValueError('a boolean', describe(value));
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

function smallIntegerWriter(name: string, minimum: number, maximum: number): ValueWriter {
  return (value) => {
    let number: number | undefined;
    if (typeof value === 'number' && Number.isInteger(value)) number = value;
    else if (typeof value === 'bigint') number = Number(value);
    else if (typeof value === 'string' && INTEGER_TEXT.test(value)) number = Number(value);
    else if (typeof value === 'boolean') number = value ? 1 : 0;
    if (number === undefined) throw new UnconvertibleValueError(`an integer (${name})`, describe(value));
    if (number < minimum || number > maximum) {
      throw new UnconvertibleValueError(
        `an integer from ${minimum} to ${maximum} (${name})`,
        'a value out of range',
      );
    }
    return number;
  };
}

function bigIntegerWriter(
  name: string,
  minimum: bigint | undefined,
  maximum: bigint | undefined,
): ValueWriter {
  return (value) => {
    let integer: bigint | undefined;
    if (typeof value === 'bigint') integer = value;
    else if (typeof value === 'number' && Number.isInteger(value)) integer = BigInt(value);
    else if (typeof value === 'string' && INTEGER_TEXT.test(value)) integer = BigInt(value.trim());
    else if (typeof value === 'boolean') integer = value ? 1n : 0n;
    if (integer === undefined) throw new UnconvertibleValueError(`an integer (${name})`, describe(value));
    if ((minimum !== undefined && integer < minimum) || (maximum !== undefined && integer > maximum)) {
      throw new UnconvertibleValueError(
        `an integer from ${minimum} to ${maximum} (${name})`,
        'a value out of range',
      );
    }
    return integer;
  };
}

const FLOAT_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$|^\s*[+-]?(?:nan|inf|infinity)\s*$/i;

function toDouble(value: unknown): DuckDBValue {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && FLOAT_TEXT.test(value)) {
    const lower = value.trim().toLowerCase().replace(/^\+/, '');
    if (lower === 'nan' || lower === '-nan') return Number.NaN;
    if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
    if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
    return Number(value);
  }
  throw new UnconvertibleValueError('a number', describe(value));
}

function decimalWriter(width: number, scale: number): ValueWriter {
  const limit = 10n ** BigInt(width);
  const expected = `a decimal number with at most ${width - scale} integer digits (DECIMAL(${width},${scale}))`;
  return (value) => {
    let scaled: bigint | undefined;
    if (typeof value === 'string') scaled = scaledDecimalFromText(value, scale);
    else if (typeof value === 'number' && Number.isFinite(value))
      scaled = scaledDecimalFromText(String(value), scale);
    else if (typeof value === 'bigint') scaled = value * 10n ** BigInt(scale);
    if (scaled === undefined) throw new UnconvertibleValueError(expected, describe(value));
    if (scaled >= limit || scaled <= -limit)
      throw new UnconvertibleValueError(expected, 'a value out of range');
    return new DuckDBDecimalValue(scaled, width, scale);
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function toText(value: unknown): DuckDBValue {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date) return isoText(value);
      if (value instanceof Uint8Array) {
        try {
          return UTF8.decode(value);
        } catch {
          throw new UnconvertibleValueError('text (UTF-8)', 'bytes that are not valid UTF-8');
        }
      }
      return jsonText(value);
    default:
      throw new UnconvertibleValueError('text', describe(value));
  }
}

function toJsonText(value: unknown): DuckDBValue {
  return typeof value === 'string' ? value : jsonText(value);
}

function toBytes(value: unknown, expected: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new UnconvertibleValueError(`bytes for ${expected}`, describe(value));
}

function toUuid(value: unknown): DuckDBValue {
  if (typeof value === 'string') {
    const hex = value
      .trim()
      .replace(/^\{|\}$/g, '')
      .replaceAll('-', '');
    if (/^[0-9a-f]{32}$/i.test(hex)) return uuidValue(BigInt(`0x${hex}`));
  } else if (value instanceof Uint8Array && value.length === 16) {
    return uuidValue(BigInt(`0x${Buffer.from(value).toString('hex')}`));
  }
  throw new UnconvertibleValueError('a UUID string', describe(value));
}

function toDate(value: unknown): DuckDBValue {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return dateValue(Math.floor(value.getTime() / 86_400_000));
  }
  if (typeof value === 'string') {
    const parsed = parseDateText(value);
    if (parsed) return finiteOr(parsed, dateValue, DuckDBDateValue);
  }
  throw new UnconvertibleValueError('a date (YYYY-MM-DD) or a Date', describe(value));
}

function timeNanos(value: unknown, name: string, nanosPerUnit: bigint): bigint {
  if (typeof value === 'bigint') return value * nanosPerUnit;
  if (typeof value === 'string') {
    const parsed = parseTimeText(value);
    if (parsed && (parsed.offsetSeconds ?? 0) === 0) return parsed.nanos;
  }
  throw new UnconvertibleValueError(`a time of day (HH:MM:SS[.ffffff]) for ${name}`, describe(value));
}

function toTimeTz(value: unknown): DuckDBValue {
  if (typeof value === 'string') {
    const parsed = parseTimeText(value);
    if (parsed) return timeTZValue(parsed.nanos / 1000n, parsed.offsetSeconds ?? 0);
  } else if (typeof value === 'object' && value !== null && 'micros' in value && 'offset' in value) {
    const { micros, offset } = value as { micros: unknown; offset: unknown };
    if ((typeof micros === 'bigint' || typeof micros === 'number') && typeof offset === 'number') {
      return timeTZValue(BigInt(micros), offset);
    }
  }
  throw new UnconvertibleValueError('a time with offset (HH:MM:SS[.ffffff]±HH:MM)', describe(value));
}

interface InfinityHolder {
  readonly PosInf: DuckDBValue;
  readonly NegInf: DuckDBValue;
}

function timestampWriter(fromNanos: (nanos: bigint) => DuckDBValue, infinities: InfinityHolder): ValueWriter {
  return (value) => {
    if (value instanceof Date && !Number.isNaN(value.getTime()))
      return fromNanos(BigInt(value.getTime()) * 1_000_000n);
    if (typeof value === 'number' && Number.isFinite(value)) {
      return fromNanos(BigInt(Math.round(value * 1000)) * 1000n);
    }
    if (typeof value === 'string') {
      const parsed = parseTimestampText(value);
      if (parsed) return finiteOr(parsed, fromNanos, infinities);
    }
    throw new UnconvertibleValueError(
      'a timestamp (ISO 8601 text such as 2024-01-02T03:04:05.123456Z), a Date or epoch milliseconds',
      describe(value),
    );
  };
}

function toInterval(value: unknown): DuckDBValue {
  if (typeof value === 'object' && value !== null) {
    const { months, days, micros } = value as { months?: unknown; days?: unknown; micros?: unknown };
    if (
      typeof months === 'number' &&
      typeof days === 'number' &&
      (typeof micros === 'bigint' || (typeof micros === 'number' && Number.isInteger(micros)))
    ) {
      return intervalValue(months, days, BigInt(micros));
    }
  }
  throw new UnconvertibleValueError('an interval object { months, days, micros }', describe(value));
}

function toArray(value: unknown, typeName: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  throw new UnconvertibleValueError(`an array for ${typeName}`, describe(value));
}

function mapEntries(value: unknown, typeName: string): [unknown, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (typeof entry === 'object' && entry !== null && 'key' in entry) {
        return [(entry as { key: unknown }).key, (entry as { value?: unknown }).value];
      }
      throw new UnconvertibleValueError(`{ key, value } entries for ${typeName}`, describe(entry));
    });
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  ) {
    return Object.entries(value);
  }
  throw new UnconvertibleValueError(`a Map or an object for ${typeName}`, describe(value));
}

function finiteOr<T>(
  parsed: Parsed<T>,
  fromValue: (value: T) => DuckDBValue,
  infinities: InfinityHolder,
): DuckDBValue {
  if (parsed.kind === 'finite') return fromValue(parsed.value);
  return parsed.kind === 'infinity' ? infinities.PosInf : infinities.NegInf;
}

/** Rounds toward negative infinity, so instants before 1970 keep their calendar second. */
function floorDivide(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  return value % divisor < 0n ? quotient - 1n : quotient;
}

/** An invalid Date has no text worth keeping: refused, never stored as the words "Invalid Date". */
function isoText(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new UnconvertibleValueError('text or a valid Date', describe(date));
  return date.toISOString();
}

/** What a value is, for error messages; never the value itself (it may be personal data). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}
