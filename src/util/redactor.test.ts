import { describe, expect, it } from 'vitest';
import { MASK, maskUrlPasswords, Redactor, urlPasswords } from './redactor.js';

describe('Redactor', () => {
  it('replaces every occurrence, longest secret first, and ignores values shorter than 4 characters', () => {
    const redactor = new Redactor(['hunter2', 'hunter2-long', 'abc']);
    expect(redactor.text('a hunter2 b hunter2-long c abc')).toBe('a *** b *** c abc');
  });

  it('masks a known secret also where it appears percent-encoded, as inside a URL', () => {
    const redactor = new Redactor(['p@ss word!']);
    expect(redactor.text('query=p%40ss%20word! and p@ss word!')).toBe(`query=${MASK} and ${MASK}`);
  });

  it('masks the password part of every URL and keeps its user and host', () => {
    const redactor = new Redactor(['hunter22']);
    expect(redactor.text('bad postgres://ann:hunter22@db/x and hunter22 again')).toBe(
      'bad postgres://ann:***@db/x and *** again',
    );
    expect(redactor.text('postgres://bob:pa55word@db:5432/x')).toBe('postgres://bob:***@db:5432/x');
    expect(redactor.text('redis://:only-a-password@cache:6379')).toBe('redis://:***@cache:6379');
    expect(redactor.text('mysql://etl@db.internal/movies')).toBe('mysql://etl@db.internal/movies');
    expect(redactor.text('http://db:5432/x')).toBe('http://db:5432/x');
  });

  it('adds secrets without losing the ones it had', () => {
    const redactor = new Redactor(['first-secret']).with(['second-secret']);
    expect(redactor.text('first-secret second-secret')).toBe('*** ***');
  });

  it('masks strings at any depth by value, keys only when asked, and makes bigint JSON-safe', () => {
    const redactor = new Redactor(['hunter2-secret']);
    const value = { key: 'kept', token: 'hunter2-secret', 'hunter2-secret': [9007199254740993n] };
    expect(redactor.strings(value)).toEqual({
      key: 'kept',
      token: '***',
      'hunter2-secret': ['9007199254740993'],
    });
    expect(redactor.strings(value, { keys: true })).toEqual({
      key: 'kept',
      token: '***',
      '***': ['9007199254740993'],
    });
  });
});

describe('URL passwords', () => {
  it('finds and masks them even when nobody said they are secret', () => {
    expect(urlPasswords('a postgres://u:p1@h/db b mysql://v:p2@h c')).toEqual(['p1', 'p2']);
    expect(maskUrlPasswords('postgres://u:p1@h/db')).toBe('postgres://u:***@h/db');
  });
});
