import { expect, it } from 'vitest';
import { buildExtractQuery } from './extract-query.js';

it('builds the extract query with quoted identifiers', () => {
  expect(buildExtractQuery({ table: 'my`table', schema: 'db', columns: ['a', 'b c'], limit: 5 })).toBe(
    'SELECT `a`, `b c` FROM `db`.`my``table` LIMIT 5',
  );
  expect(buildExtractQuery({ query: ' SELECT 1;  ' })).toBe('SELECT 1');
  expect(buildExtractQuery({ query: 'SELECT 1', limit: 3 })).toBe(
    'SELECT * FROM (SELECT 1) AS osiris_incremental LIMIT 3',
  );
});
