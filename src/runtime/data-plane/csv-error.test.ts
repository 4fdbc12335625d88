import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvErrorFacts, scrubCsvMessage } from './csv-error.js';
import { messageOf } from './step-connection.js';

/** DuckDB's real message for a failed read_csv, so the test follows DuckDB's wording. */
let directory: string;
async function duckdbError(csv: string, options: string): Promise<string> {
  const path = join(directory, `${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, csv);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SELECT * FROM read_csv(${quotedString(path)}, ${options})`);
    throw new Error('expected DuckDB to fail');
  } catch (error) {
    return (error as Error).message;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'osiris-csv-error-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('DuckDB CSV errors without the data', () => {
  it('keeps the line, column and type of a conversion error, never the line or the value', async () => {
    const raw = await duckdbError(
      'id,secret,span\n1,"hunter2, the password",-3 days +04:05:06\n',
      "columns = {'id': 'INTEGER', 'secret': 'VARCHAR', 'span': 'INTERVAL'}, header = true, auto_detect = false",
    );
    expect(raw).toContain('hunter2');
    const facts = csvErrorFacts(raw);
    expect(facts).toEqual({
      line: 2,
      column: 'span',
      type: 'INTERVAL',
      message: 'the value could not be converted to INTERVAL',
    });
    expect(messageOf(new Error(raw))).not.toMatch(/hunter2|04:05:06|Original Line/);
  });

  it('keeps what is wrong with a malformed line, without the line', async () => {
    const raw = await duckdbError(
      'a,b\n1,2\n3,"secret value",4\n',
      "header = true, strict_mode = true, auto_detect = false, columns = {'a': 'INTEGER', 'b': 'VARCHAR'}",
    );
    expect(raw).toContain('secret value');
    const scrubbed = scrubCsvMessage(raw);
    expect(scrubbed).not.toContain('secret value');
    expect(scrubbed).toMatch(/CSV Error on Line: 3/);
    expect(csvErrorFacts(raw).line).toBe(3);
  });

  it('leaves other messages alone', () => {
    expect(messageOf(new Error('Catalog Error: Table with name x does not exist!'))).toBe(
      'Catalog Error: Table with name x does not exist!',
    );
  });
});
