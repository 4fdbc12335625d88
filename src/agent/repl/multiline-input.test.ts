import { describe, expect, it } from 'vitest';
import { MultilineInput } from './multiline-input.js';

describe('MultilineInput', () => {
  it('returns single lines at once', () => {
    expect(new MultilineInput().push('hello')).toBe('hello');
  });

  it('joins lines ending in a backslash', () => {
    const input = new MultilineInput();
    expect(input.push('SQL: SELECT title \\')).toBeUndefined();
    expect(input.pending).toBe(true);
    expect(input.push('FROM movies')).toBe('SQL: SELECT title \nFROM movies');
    expect(input.pending).toBe(false);
  });

  it('collects a """ block verbatim, backslashes included', () => {
    const input = new MultilineInput();
    expect(input.push('"""')).toBeUndefined();
    expect(input.push('SQL: SELECT a \\')).toBeUndefined();
    expect(input.push('FROM t')).toBeUndefined();
    expect(input.push('"""')).toBe('SQL: SELECT a \\\nFROM t');
  });

  it('clear drops a half-typed message', () => {
    const input = new MultilineInput();
    input.push('a \\');
    input.clear();
    expect(input.push('b')).toBe('b');
  });
});
