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
  '"zoned":"2024-01-02T01:04:05.123456Z","day":"2024-02-29","ratio":null,"bytes":"AP8=",' +
  '"doc":{"a":[1,2]},"name":"Zoë \\"quoted\\"\\n","list":[1,2],"ok":true}';
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
});
