import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './json-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await harness.dataPlane.run(`
    CREATE TABLE df_values AS SELECT * FROM (VALUES
      (9007199254740993::BIGINT, 12345678901234567890.1234567891::DECIMAL(38,10), 1.50::DECIMAL(10,2),
       170141183460469231731687303715884105727::HUGEINT, TIMESTAMP '2024-01-02 03:04:05.5',
       TIMESTAMPTZ '2024-01-02 03:04:05.123456+02', DATE '2024-02-29', 'NaN'::DOUBLE, '\\x00\\xFF'::BLOB,
       '{"a": [1, 2]}'::JSON, E'Zoë "quoted"\\n', [1, 2], true),
      (-1, -0.0000000001, 0, 0, NULL, NULL, NULL, 0.1, NULL, NULL, NULL, NULL, NULL)
    ) v(id, amount, price, huge, seen, zoned, day, ratio, bytes, doc, name, list, ok)`);
});

afterEach(async () => {
  await harness.close();
});

async function output(path: string): Promise<string> {
  return readFile(join(harness.projectDir, path), 'utf8');
}

const FIRST =
  '{"id":9007199254740993,"amount":12345678901234567890.1234567891,"price":1.5,' +
  '"huge":170141183460469231731687303715884105727,"seen":"2024-01-02T03:04:05.5",' +
  '"zoned":"2024-01-02T01:04:05.123456Z","day":"2024-02-29","ratio":"NaN","bytes":"AP8=",' +
  '"doc":{"a": [1, 2]},"name":"Zoë \\"quoted\\"\\n","list":[1,2],"ok":true}';
const SECOND =
  '{"id":-1,"amount":-0.0000000001,"price":0.0,"huge":0,"seen":null,"zoned":null,"day":null,' +
  '"ratio":0.1,"bytes":null,"doc":null,"name":null,"list":null,"ok":null}';

describe('filesystem.json_writer', () => {
  it('writes JSON Lines with exact numbers and ISO timestamps', async () => {
    const { result, ctx } = await harness.run(driver, {
      stepId: 'lines',
      needs: ['values'],
      config: { path: 'out/values.jsonl', format: 'jsonl' },
    });
    expect(result).toEqual({ rows: 2 });
    const text = await output('out/values.jsonl');
    expect(text).toBe(`${FIRST}\n${SECOND}\n`);
    const parsed = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]?.doc).toEqual({ a: [1, 2] });
    expect(ctx.recorded.events).toEqual([
      {
        name: 'output_written',
        fields: { path: 'out/values.jsonl', bytes: Buffer.byteLength(text), rows: 2 },
      },
    ]);
  });

  it('writes one JSON array', async () => {
    await harness.run(driver, {
      stepId: 'array',
      needs: ['values'],
      config: { path: 'out/values.json', format: 'array' },
    });
    const text = await output('out/values.json');
    expect(text).toBe(`[\n\t${FIRST},\n\t${SECOND}\n]\n`);
    expect(JSON.parse(text)).toHaveLength(2);
  });

  it('writes identical bytes on every run, an empty input included', async () => {
    for (const path of ['out/a.json', 'out/b.json']) {
      await harness.run(driver, { stepId: 'same', needs: ['values'], config: { path, format: 'array' } });
    }
    expect(await output('out/a.json')).toBe(await output('out/b.json'));
    await harness.dataPlane.run('CREATE TABLE df_nothing AS SELECT 1 AS x WHERE false');
    const { result } = await harness.run(driver, {
      stepId: 'nothing',
      needs: ['nothing'],
      config: { path: 'out/nothing.json', format: 'array' },
    });
    expect(result.rows).toBe(0);
    expect(JSON.parse(await output('out/nothing.json'))).toEqual([]);
  });

  describe('keeps values exact', () => {
    beforeEach(async () => {
      await harness.dataPlane.run(`
        CREATE TABLE df_awkward AS SELECT * FROM (VALUES
          (1, 1.1::FLOAT, 0.1::DOUBLE, '{"n": 1.00000000000000000001, "m": 0.12345678901234567890123}'::JSON,
           [1.1::FLOAT, NULL], ['{"x": 1.00000000000000000001}'::JSON]),
          (2, 'inf'::FLOAT, '-inf'::DOUBLE, 'null'::JSON, ['nan'::FLOAT], NULL),
          (3, NULL, 'nan'::DOUBLE, NULL, NULL, ['null'::JSON]),
          (4, 3.4028235e38::FLOAT, 1e-300::DOUBLE, E'{\n  "multi": "line"\r\n}'::JSON, [], [])
        ) v(id, single, double, doc, singles, docs)`);
    });

    it('writes JSON documents verbatim, floats at their width and non-finite floats as strings', async () => {
      await harness.run(driver, { stepId: 'awkward', needs: ['awkward'], config: { path: 'out/a.jsonl' } });
      expect((await output('out/a.jsonl')).split('\n')).toEqual([
        '{"id":1,"single":1.1,"double":0.1,"doc":{"n": 1.00000000000000000001, "m": 0.12345678901234567890123},' +
          '"singles":[1.1,null],"docs":[{"x": 1.00000000000000000001}]}',
        '{"id":2,"single":"Infinity","double":"-Infinity","doc":null,"singles":["NaN"],"docs":null}',
        '{"id":3,"single":null,"double":"NaN","doc":null,"singles":null,"docs":[null]}',
        '{"id":4,"single":3.4028235e+38,"double":1e-300,"doc":{   "multi": "line"  },"singles":[],"docs":[]}',
        '',
      ]);
    });

    it('spells values inside structs the same way', async () => {
      await harness.dataPlane.run(`
        CREATE TABLE df_nested AS SELECT * FROM (VALUES
          (1, {'a': 1.1::FLOAT, 'b "c"': ['inf'::DOUBLE, NULL], 'd': {'e': '{"n": 1.00000000000000000001}'::JSON}}),
          (2, NULL)
        ) v(id, wrapped)`);
      await harness.run(driver, {
        stepId: 'nested',
        needs: ['nested'],
        config: { path: 'out/nested.jsonl' },
      });
      expect(await output('out/nested.jsonl')).toBe(
        '{"id":1,"wrapped":{"a":1.1,"b \\"c\\"":["Infinity",null],"d":{"e":{"n": 1.00000000000000000001}}}}\n' +
          '{"id":2,"wrapped":null}\n',
      );
    });

    it('keeps a JSON null apart from SQL NULL with omit_nulls', async () => {
      await harness.run(driver, {
        stepId: 'omit',
        needs: ['awkward'],
        config: { path: 'out/omit.json', format: 'array', omit_nulls: true, non_finite: 'null' },
      });
      const rows = JSON.parse(await output('out/omit.json')) as Record<string, unknown>[];
      expect(rows[1]).toEqual({ id: 2, single: null, double: null, doc: null, singles: [null] });
      expect(rows[2]).toEqual({ id: 3, double: null, docs: [null] });
    });

    it('fails naming the column with non_finite: error, leaving no file', async () => {
      const failure = harness.run(driver, {
        stepId: 'strict',
        needs: ['awkward'],
        config: { path: 'out/strict.jsonl', non_finite: 'error' },
      });
      await expect(failure).rejects.toMatchObject({
        code: 'E_WRITE_FAILED',
        message: expect.stringMatching(/column "single" \(FLOAT\) holds NaN or Infinity/),
      });
      await expect(output('out/strict.jsonl')).rejects.toThrow(/ENOENT/);
    });
  });
});
