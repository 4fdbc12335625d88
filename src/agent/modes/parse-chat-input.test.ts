import { describe, expect, it } from 'vitest';
import { parseChatInput } from './parse-chat-input.js';

describe('parseChatInput', () => {
  it('reads the SQL: prefix in any case and keeps the statement', () => {
    expect(parseChatInput('SQL: SELECT 1')).toEqual({ kind: 'sql', sql: 'SELECT 1' });
    expect(parseChatInput('  sql:select *\nfrom t ')).toEqual({ kind: 'sql', sql: 'select *\nfrom t' });
  });

  it('reads a connection and an output file between SQL and the colon', () => {
    expect(parseChatInput('SQL @postgres.wh output/events.parquet: SELECT * FROM events')).toEqual({
      kind: 'sql',
      sql: 'SELECT * FROM events',
      connection: '@postgres.wh',
      output: 'output/events.parquet',
    });
    expect(parseChatInput('sql out.json : select 1')).toEqual({
      kind: 'sql',
      sql: 'select 1',
      output: 'out.json',
    });
    // Anything else before a colon is a plain message, not SQL mode.
    expect(parseChatInput('sql is fun: really')).toMatchObject({ kind: 'message' });
    expect(parseChatInput('SQLite: what is it?')).toMatchObject({ kind: 'message' });
  });

  it('reads FAST: and strips it from the message', () => {
    expect(parseChatInput('FAST: top customers')).toEqual({
      kind: 'message',
      text: 'top customers',
      fast: true,
    });
  });

  it('recognises retry, and passes anything else through', () => {
    expect(parseChatInput('retry')).toEqual({ kind: 'retry' });
    expect(parseChatInput('Try again!')).toEqual({ kind: 'retry' });
    expect(parseChatInput('retry with postgres')).toEqual({
      kind: 'message',
      text: 'retry with postgres',
      fast: false,
    });
    expect(parseChatInput('find SQL: in docs')).toEqual({
      kind: 'message',
      text: 'find SQL: in docs',
      fast: false,
    });
  });
});
