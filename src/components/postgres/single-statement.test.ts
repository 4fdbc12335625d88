import { describe, expect, it } from 'vitest';
import { isOsirisError } from '../../spec/errors.js';
import { singleStatement } from './single-statement.js';

describe('singleStatement', () => {
  it.each([
    ['SELECT 1', 'SELECT 1'],
    ['SELECT 1;', 'SELECT 1'],
    ['  SELECT 1 ;; \n', '  SELECT 1'],
    ['SELECT 1; -- trailing comment', 'SELECT 1'],
    ['SELECT 1 -- comment without newline', 'SELECT 1'],
    ['SELECT 1 /* block /* nested */ comment */ ;', 'SELECT 1'],
    ["SELECT ';' AS semicolon;", "SELECT ';' AS semicolon"],
    ["SELECT 'it''s; fine'", "SELECT 'it''s; fine'"],
    ["SELECT E'a\\'; b'", "SELECT E'a\\'; b'"],
    ['SELECT "odd;name" FROM t', 'SELECT "odd;name" FROM t'],
    ['SELECT $$a; b$$, $tag$ ; $tag$', 'SELECT $$a; b$$, $tag$ ; $tag$'],
    ['SELECT a -- note; not the end\nFROM t', 'SELECT a -- note; not the end\nFROM t'],
  ])('%j → %j', (input, expected) => {
    expect(singleStatement(input)).toBe(expected);
  });

  it('refuses several statements', () => {
    const error = (() => {
      try {
        singleStatement('SELECT 1; DROP TABLE movies');
      } catch (caught) {
        return caught;
      }
    })();
    expect(isOsirisError(error) && error.code).toBe('E_USAGE');
  });
});
