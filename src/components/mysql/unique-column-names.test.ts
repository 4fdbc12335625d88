import { expect, it } from 'vitest';
import { uniqueColumnNames } from './unique-column-names.js';

it('keeps duplicate result column names apart, ignoring case', () => {
  expect(uniqueColumnNames(['id', 'ID', 'id', 'name', 'id_2'])).toEqual([
    'id',
    'ID_2',
    'id_3',
    'name',
    'id_2_2',
  ]);
});
