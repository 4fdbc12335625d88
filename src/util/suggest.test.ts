import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../composition/builtins.js';
import { closestNames, editDistance } from './suggest.js';

const names = builtinSpecs.map((spec) => spec.name);

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('table', 'table')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('tabel', 'table')).toBe(1);
  });
});

describe('closestNames', () => {
  it('suggests the component a typo meant', () => {
    expect(closestNames('mysql.extrator', names)).toEqual(['mysql.extractor']);
    expect(closestNames('postgres.writter', names)).toEqual(['postgres.writer']);
  });

  it('finds a component by its role part alone', () => {
    expect(closestNames('csv_writer', names)[0]).toBe('filesystem.csv_writer');
  });

  it('lists every component of a family given only the family', () => {
    expect(closestNames('mysql', names)).toEqual(['mysql.extractor', 'mysql.writer']);
  });

  it('suggests config keys', () => {
    expect(closestNames('tabel', ['table', 'query', 'limit'])).toEqual(['table']);
    expect(closestNames('qeury', ['table', 'query', 'limit'])).toEqual(['query']);
  });

  it('allows one edit for very short names', () => {
    expect(closestNames('db', ['id', 'ids'])).toEqual([]);
    expect(closestNames('ib', ['id', 'ids'])).toEqual(['id']);
  });

  it('returns nothing for unrelated names and respects max', () => {
    expect(closestNames('kafka.consumer', names)).toEqual([]);
    expect(closestNames('abc', ['abd', 'abe', 'abf', 'abg'], 2)).toEqual(['abd', 'abe']);
    expect(closestNames('abc', ['abd'], 0)).toEqual([]);
  });

  it('is case-insensitive and ignores duplicate candidates', () => {
    expect(closestNames('MySQL.Writer', [...names, 'mysql.writer'])).toEqual(['mysql.writer']);
  });
});
