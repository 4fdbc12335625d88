import { describe, expect, it } from 'vitest';
import { parseArrayLiteral } from './postgres-array-literal.js';

describe('parseArrayLiteral', () => {
  it.each([
    ['{}', []],
    ['{1,NULL,3}', ['1', null, '3']],
    ['{"a b","c,d",NULL,"NULL","","e\\"f","g\\\\h"}', ['a b', 'c,d', null, 'NULL', '', 'e"f', 'g\\h']],
    ['{t,f}', ['t', 'f']],
    ['[0:1]={5,6}', ['5', '6']],
    ['{"2024-01-01 00:00:00+00"}', ['2024-01-01 00:00:00+00']],
  ])('%s', (literal, expected) => {
    expect(parseArrayLiteral(literal)).toEqual(expected);
  });

  it('refuses multi-dimensional arrays and non-arrays', () => {
    expect(() => parseArrayLiteral('{{1,2},{3,4}}')).toThrow(/multi-dimensional/);
    expect(() => parseArrayLiteral('1,2')).toThrow(/array literal/);
  });
});
