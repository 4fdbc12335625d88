import { expect, it } from 'vitest';
import { targetColumn } from './target-columns.js';

it('maps DuckDB types to MySQL columns', () => {
  const mysqlType = (type: string, key = false) => targetColumn({ name: 'c', type }, key).mysqlType;
  expect(mysqlType('VARCHAR')).toBe('LONGTEXT');
  expect(mysqlType('VARCHAR', true)).toBe('VARCHAR(255)');
  expect(mysqlType('DECIMAL(18,3)')).toBe('DECIMAL(18,3)');
  expect(mysqlType('TIMESTAMP WITH TIME ZONE')).toBe('DATETIME(6)');
  expect(mysqlType('INTEGER[]')).toBe('JSON');
  expect(mysqlType('STRUCT(a INTEGER)')).toBe('JSON');
  expect(mysqlType('UBIGINT')).toBe('BIGINT UNSIGNED');
  expect(mysqlType('HUGEINT')).toBe('DECIMAL(39,0)');
});

it('turns interval microseconds into MySQL TIME text', () => {
  const convert = targetColumn({ name: 'c', type: 'INTERVAL' }, false).convert;
  expect(convert(-3_020_399_000_000n)).toBe('-838:59:59.000000');
  expect(convert(45_296_500_000n)).toBe('12:34:56.500000');
  expect(convert(null)).toBeNull();
});

it('refuses NaN for MySQL instead of sending unparsable SQL', () => {
  const convert = targetColumn({ name: 'ratio', type: 'DOUBLE' }, false).convert;
  expect(convert(1.5)).toBe(1.5);
  expect(() => convert(Number.NaN)).toThrow(/ratio holds NaN/);
});
