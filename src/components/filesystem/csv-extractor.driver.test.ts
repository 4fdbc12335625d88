import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './csv-extractor.driver.js';
import { driver as writer } from './csv-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await mkdir(join(harness.projectDir, 'data'));
});

afterEach(async () => {
  await harness.close();
});

async function file(name: string, content: string | Buffer): Promise<string> {
  await writeFile(join(harness.projectDir, 'data', name), content);
  return `data/${name}`;
}

async function read(table: string): Promise<{ columns: string[]; rows: unknown[][] }> {
  const rows: unknown[][] = [];
  let columns: string[] = [];
  for await (const chunk of harness.dataPlane.readChunks(table)) {
    columns = chunk.columns.map((column) => `${column.name} ${column.type}`);
    rows.push(...chunk.rows);
  }
  return { columns, rows };
}

describe('filesystem.csv_extractor', () => {
  it('detects column types and keeps file order', async () => {
    const path = await file(
      'orders.csv',
      'id,customer,amount,day\n1,Zoë,10.50,2024-01-02\n2,"Bob, Jr.",3.25,2024-01-03\n9007199254740993,,0.5,\n',
    );
    const { result, ctx } = await harness.run(driver, { stepId: 'orders', config: { path } });
    expect(result).toEqual({ table: 'df_orders', rows: 3 });
    expect(ctx.recorded.progress).toEqual([3]);
    expect(await read('df_orders')).toEqual({
      columns: ['id BIGINT', 'customer VARCHAR', 'amount DOUBLE', 'day DATE'],
      rows: [
        [1n, 'Zoë', 10.5, '2024-01-02'],
        [2n, 'Bob, Jr.', 3.25, '2024-01-03'],
        [9007199254740993n, null, 0.5, null],
      ],
    });
  });

  it('uses given column types, null markers, skipped lines and another delimiter', async () => {
    const path = await file('prices.csv', 'exported by tool X\n\nsku;price;note\nA-1;1.10;NA\nB-2;NA;fine\n');
    await harness.run(driver, {
      stepId: 'prices',
      config: {
        path,
        delimiter: ';',
        skip_rows: 2,
        null_values: ['NA'],
        columns: { sku: 'VARCHAR', price: 'DECIMAL(10,2)', note: 'VARCHAR' },
      },
    });
    expect(await read('df_prices')).toEqual({
      columns: ['sku VARCHAR', 'price DECIMAL(10,2)', 'note VARCHAR'],
      rows: [
        ['A-1', '1.10', null],
        ['B-2', null, 'fine'],
      ],
    });
  });

  it('applies given types by column name, whatever order they are listed in', async () => {
    const path = await file('orders.csv', 'id,amount,day\n1,2.50,2024-01-02\n');
    // Compiled configs have sorted keys, so `columns` must never be read positionally.
    await harness.run(driver, {
      stepId: 'orders',
      config: { path, columns: { amount: 'DECIMAL(10,2)', id: 'BIGINT' } },
    });
    expect(await read('df_orders')).toEqual({
      columns: ['id BIGINT', 'amount DECIMAL(10,2)', 'day DATE'],
      rows: [[1n, '2.50', '2024-01-02']],
    });
  });

  it('reads files without a header, tab-separated (\\t written as two characters)', async () => {
    const path = await file('plain.tsv', 'a\t1\nb\t2\n');
    await harness.run(driver, { stepId: 'plain', config: { path, header: false, delimiter: '\\t' } });
    expect((await read('df_plain')).rows).toEqual([
      ['a', 1n],
      ['b', 2n],
    ]);
  });

  it('reads latin-1 and UTF-16 files', async () => {
    const latin = await file('latin.csv', Buffer.from('name,city\nZoë,Zürich\n', 'latin1'));
    await harness.run(driver, { stepId: 'latin', config: { path: latin, encoding: 'latin-1' } });
    expect((await read('df_latin')).rows).toEqual([['Zoë', 'Zürich']]);
    const wide = await file(
      'wide.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,mood\nZoë,😀\n', 'utf16le')]),
    );
    await harness.run(driver, { stepId: 'wide', config: { path: wide, encoding: 'utf-16' } });
    expect((await read('df_wide')).rows).toEqual([['Zoë', '😀']]);
    const bigEndian = Buffer.from('\ufeffname,mood\nZoë,😀\n', 'utf16le').swap16();
    await harness.run(driver, {
      stepId: 'big-endian',
      config: { path: await file('be.csv', bigEndian), encoding: 'utf-16' },
    });
    expect((await read('df_big_endian')).rows).toEqual([['Zoë', '😀']]);
  });

  it('reports unreadable content with the file name and a hint', async () => {
    const path = await file('bad.csv', 'id\n1\nnot a number\n');
    const error = await harness
      .run(driver, { stepId: 'bad', config: { path, columns: { id: 'INTEGER' } } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_SOURCE_READ_FAILED', details: { path: 'data/bad.csv' } });
    expect((error as { hint: string }).hint).toContain('columns');
  });

  it('reads back what filesystem.csv_writer wrote: NULL and empty text apart, decimals exact', async () => {
    await harness.dataPlane.run(`
      CREATE TABLE df_awkward AS SELECT * FROM (VALUES
        (1, '', 12345678901234567890.1234567891::DECIMAL(38,10), 9223372036854775807::BIGINT, 'Zoë 😀 "q", x', 0.1::DOUBLE),
        (2, NULL, -0.0000000001::DECIMAL(38,10), (-9223372036854775808)::BIGINT, E'two\nlines', 'inf'::DOUBLE),
        (3, ' ', 9999999999999999999999999999.9999999999::DECIMAL(38,10), 0::BIGINT, NULL, 'nan'::DOUBLE)
      ) v(id, label, amount, big, note, ratio)`);
    for (const quoting of ['minimal', 'all']) {
      const path = `data/awkward-${quoting}.csv`;
      await harness.run(writer, { stepId: 'write', needs: ['awkward'], config: { path, quoting } });
      const stepId = `back_${quoting}`;
      await harness.run(driver, { stepId, config: { path } });
      const back = await read(`df_${stepId}`);
      expect(back.columns).toEqual([
        'id BIGINT',
        'label VARCHAR',
        'amount DECIMAL(38,10)',
        'big BIGINT',
        'note VARCHAR',
        'ratio DOUBLE',
      ]);
      expect(back.rows).toEqual([
        [1n, '', '12345678901234567890.1234567891', 9223372036854775807n, 'Zoë 😀 "q", x', 0.1],
        [2n, null, '-0.0000000001', -9223372036854775808n, 'two\nlines', Number.POSITIVE_INFINITY],
        [3n, ' ', '9999999999999999999999999999.9999999999', 0n, null, Number.NaN],
      ]);
    }
  });

  it('never rounds long numbers through a guessed DOUBLE', async () => {
    const path = await file(
      'numbers.csv',
      'short,wide,huge,mixed\n1.5,18446744073709551615,1234567890123456789012345678901234567890,1e5\n' +
        '-2.25,1,1,1234567890.12345678\n',
    );
    const { ctx } = await harness.run(driver, { stepId: 'numbers', config: { path } });
    expect(await read('df_numbers')).toEqual({
      columns: ['short DOUBLE', 'wide DECIMAL(38,0)', 'huge VARCHAR', 'mixed VARCHAR'],
      rows: [
        [1.5, '18446744073709551615', '1234567890123456789012345678901234567890', '1e5'],
        [-2.25, '1', '1', '1234567890.12345678'],
      ],
    });
    expect(ctx.recorded.logs.filter((log) => log.level === 'warn').map((log) => log.fields.column)).toEqual([
      'huge',
      'mixed',
    ]);
  });

  it('reads doubles printed with all their digits as DOUBLE, and anything else that long exactly', async () => {
    const path = await file(
      'doubles.csv',
      'printed,padded\n0.30000000000000004,0.30000000000000004\n1.2345678901234567e+19,1.00000000000000000001\n-0.1,0.1\n',
    );
    await harness.run(driver, { stepId: 'doubles', config: { path } });
    const back = await read('df_doubles');
    // `printed` is each value exactly as DuckDB prints its double; `padded` holds one that is not.
    expect(back.columns).toEqual(['printed DOUBLE', 'padded DECIMAL(38,20)']);
    expect(back.rows).toEqual([
      [0.30000000000000004, '0.30000000000000004000'],
      [12345678901234567000, '1.00000000000000000001'],
      [-0.1, '0.10000000000000000000'],
    ]);
  });

  it('reads a column of floats with -inf, inf and nan as DOUBLE (DuckDB detects it as text)', async () => {
    const path = await file('floats.csv', 'id,ratio,label\n1,-inf,inf\n2,0.5,x\n3,nan,\n4,,1\n');
    await harness.run(driver, { stepId: 'floats', config: { path } });
    expect(await read('df_floats')).toEqual({
      columns: ['id BIGINT', 'ratio DOUBLE', 'label VARCHAR'],
      rows: [
        [1n, Number.NEGATIVE_INFINITY, 'inf'],
        [2n, 0.5, 'x'],
        [3n, Number.NaN, null],
        [4n, null, '1'],
      ],
    });
  });

  it('reads every field as text with null_values: [] (nothing is NULL)', async () => {
    const path = await file('blanks.csv', 'id,label,count\n1,,\n2,"",7\n');
    await harness.run(driver, { stepId: 'blanks', config: { path, null_values: [] } });
    expect(await read('df_blanks')).toEqual({
      columns: ['id BIGINT', 'label VARCHAR', 'count VARCHAR'],
      rows: [
        [1n, '', ''],
        [2n, '', '7'],
      ],
    });
  });

  it('names the line and column of a bad value, never the line itself', async () => {
    const path = await file('secret.csv', 'id,token\n1,fine\n2,"top secret, do not log"\n');
    const error = (await harness
      .run(driver, { stepId: 'secret', config: { path, columns: { token: 'INTEGER' } } })
      .catch((caught: unknown) => caught)) as Error & { details?: unknown; cause?: unknown };
    expect(error).toMatchObject({
      code: 'E_SOURCE_READ_FAILED',
      message: expect.stringContaining('(line 2, column "token")'),
      details: { path: 'data/secret.csv', line: 2, column: 'token' },
    });
    const everything = JSON.stringify({ message: error.message, error, cause: String(error.cause) });
    expect(everything).not.toContain('secret, do not log');
    expect(everything).not.toContain('Original Line');
    await expect(harness.dataPlane.columns('df_secret')).rejects.toThrow();
  });

  it('reports a missing file and refuses paths outside the project', async () => {
    await expect(
      harness.run(driver, { stepId: 'gone', config: { path: 'data/gone.csv' } }),
    ).rejects.toMatchObject({
      code: 'E_FILE_NOT_FOUND',
      details: { path: 'data/gone.csv' },
    });
    await expect(
      harness.run(driver, { stepId: 'out', config: { path: '../../etc/passwd' } }),
    ).rejects.toMatchObject({
      code: 'E_PATH_ESCAPE',
    });
  });
});
