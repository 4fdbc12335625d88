import { expect, it } from 'vitest';
import { InsertStatementBuilder } from './insert-statements.js';

it('cuts INSERT statements by rows and by bytes', () => {
  const byRows = new InsertStatementBuilder('INSERT INTO t (a) VALUES', '', {
    maxRows: 2,
    maxBytes: 1_000_000,
  });
  const statements = ['(1)', '(2)', '(3)'].map((tuple) => byRows.add(tuple)).filter(Boolean);
  expect(statements).toEqual(['INSERT INTO t (a) VALUES (1),\n(2)']);
  expect(byRows.finish()).toBe('INSERT INTO t (a) VALUES (3)');
  expect(byRows.finish()).toBeUndefined();

  const byBytes = new InsertStatementBuilder('INSERT INTO t (a) VALUES', ' ON DUPLICATE KEY UPDATE a = a', {
    maxRows: 1000,
    maxBytes: 120,
  });
  const tuple = `('${'é'.repeat(20)}')`; // 44 bytes in UTF-8, 24 characters
  const cut = [tuple, tuple, tuple].map((item) => byBytes.add(item)).filter(Boolean);
  expect(cut).toHaveLength(2);
  for (const statement of [...cut, byBytes.finish()]) {
    expect(Buffer.byteLength(statement!)).toBeLessThanOrEqual(120);
    expect(statement).toMatch(/ON DUPLICATE KEY UPDATE a = a$/);
  }
});
