import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './csv-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await harness.dataPlane.run(`
    CREATE TABLE df_people AS SELECT * FROM (VALUES
      (1, 'Zoë, "the" first', 1.50::DECIMAL(10,2), TIMESTAMP '2024-01-02 03:04:05.5', NULL, true),
      (2, E'line\\nbreak', -0.25, NULL, 'x', false),
      (3, '', 0, TIMESTAMP '2024-01-02 00:00:00', 'ÿ', true)
    ) v(id, name, amount, seen, note, ok)`);
});

afterEach(async () => {
  await harness.close();
});

async function writeCsv(config: Record<string, unknown>, stepId = 'write-people', needs = ['people']) {
  return harness.run(driver, { stepId, needs, config: { path: 'out/people.csv', ...config } });
}

async function output(path = 'out/people.csv'): Promise<Buffer> {
  return readFile(join(harness.projectDir, path));
}

const DEFAULT_TEXT = [
  'id,name,amount,seen,note,ok',
  '1,"Zoë, ""the"" first",1.50,2024-01-02 03:04:05.5,,true',
  '2,"line\nbreak",-0.25,,x,false',
  '3,"",0.00,2024-01-02 00:00:00,ÿ,true',
  '',
].join('\n');

describe('filesystem.csv_writer', () => {
  it('writes minimal quoting, LF and a header by default, and reports what it wrote', async () => {
    const { result, ctx } = await writeCsv({});
    expect(result).toEqual({ rows: 3 });
    expect((await output()).toString('utf8')).toBe(DEFAULT_TEXT);
    const bytes = Buffer.byteLength(DEFAULT_TEXT);
    expect(ctx.recorded.metrics).toEqual([{ name: 'bytes_written', value: bytes, unit: 'bytes' }]);
    expect(ctx.recorded.events).toEqual([
      { name: 'output_written', fields: { path: 'out/people.csv', bytes, rows: 3 } },
    ]);
    expect(ctx.recorded.progress).toEqual([3]);
    expect(ctx.recorded.artifacts).toEqual([]);
  });

  it('honours delimiter, header off and CRLF', async () => {
    await writeCsv({ delimiter: ';', header: false, newline: 'crlf' });
    expect((await output()).toString('utf8')).toBe(
      [
        '1;Zoë, "the" first;1.50;2024-01-02 03:04:05.5;;true',
        '2;"line\nbreak";-0.25;;x;false',
        '3;"";0.00;2024-01-02 00:00:00;ÿ;true',
        '',
      ]
        .join('\r\n')
        .replace('Zoë, "the" first', '"Zoë, ""the"" first"'),
    );
  });

  it('quotes every field with quoting: all (NULL stays empty)', async () => {
    await writeCsv({ quoting: 'all' });
    expect((await output()).toString('utf8')).toBe(
      [
        '"id","name","amount","seen","note","ok"',
        '"1","Zoë, ""the"" first","1.50","2024-01-02 03:04:05.5",,"true"',
        '"2","line\nbreak","-0.25",,"x","false"',
        '"3","","0.00","2024-01-02 00:00:00","ÿ","true"',
        '',
      ].join('\n'),
    );
  });

  it('never quotes with quoting: none', async () => {
    await writeCsv({ quoting: 'none', delimiter: '|' });
    expect((await output()).toString('utf8')).toBe(
      [
        'id|name|amount|seen|note|ok',
        '1|Zoë, "the" first|1.50|2024-01-02 03:04:05.5||true',
        '2|line\nbreak|-0.25||x|false',
        '3||0.00|2024-01-02 00:00:00|ÿ|true',
        '',
      ].join('\n'),
    );
  });

  it('writes latin-1 byte for byte', async () => {
    await writeCsv({ encoding: 'latin-1' });
    const bytes = await output();
    expect(bytes).toEqual(Buffer.from(DEFAULT_TEXT, 'latin1'));
    expect(bytes.includes(Buffer.from([0xeb]))).toBe(true); // ë is one byte
  });

  it('writes UTF-16 little-endian with a byte-order mark, CRLF included', async () => {
    await writeCsv({ encoding: 'utf-16', newline: 'crlf' });
    // the newline inside the quoted field is data, not a line ending
    const text = DEFAULT_TEXT.replaceAll('\n', '\r\n').replace('"line\r\nbreak"', '"line\nbreak"');
    expect(await output()).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  });

  it('writes the chosen columns in the chosen order', async () => {
    await writeCsv({ columns: ['ok', 'ID'] });
    expect((await output()).toString('utf8')).toBe('ok,id\ntrue,1\nfalse,2\ntrue,3\n');
    await expect(writeCsv({ columns: ['nope'] })).rejects.toMatchObject({
      code: 'E_USAGE',
      hint: 'Input columns: id, name, amount, seen, note, ok.',
    });
  });

  it('formats fields exactly like DuckDB in every encoding', async () => {
    await harness.dataPlane.run(`
      CREATE TABLE df_tricky AS SELECT * FROM (VALUES
        (9007199254740993::BIGINT, 'a,b;c|d', 'say "hi"', E'cr\\rlf\\n', ' padded ', '', NULL::VARCHAR,
         1.5::DOUBLE, -0.0::DOUBLE, '\\x00\\xFF'::BLOB, DATE '2024-02-29', TIMESTAMPTZ '2024-01-02 03:04:05.123456+02',
         [1, 2], {'k': 'v'}, 'tab\there'),
        (-1, '', '', '', '', '', '', 'NaN'::DOUBLE, 1e300, ''::BLOB, NULL, NULL, [], NULL, '1.5')
      ) v(big, delims, quotes, breaks, spaces, empty, nothing, dbl, negzero, bytes, day, seen, list, record, tabbed)`);
    for (const delimiter of [',', ';', '\t', '|', '.']) {
      for (const quoting of ['minimal', 'all', 'none']) {
        for (const newline of ['lf', 'crlf']) {
          for (const header of [true, false]) {
            const config = { delimiter, quoting, newline, header };
            await writeCsv({ ...config, path: 'out/utf8.csv' }, 'utf8', ['tricky']);
            await writeCsv({ ...config, path: 'out/utf16.csv', encoding: 'utf-16' }, 'utf16', ['tricky']);
            const fromDuckdb = (await output('out/utf8.csv')).toString('utf8');
            const fromJs = (await output('out/utf16.csv')).subarray(2).toString('utf16le');
            expect(fromJs, JSON.stringify(config)).toBe(fromDuckdb);
          }
        }
      }
    }
  });

  it('refuses characters latin-1 lacks, naming row and column, and leaves the old file', async () => {
    await mkdir(join(harness.projectDir, 'out'));
    await writeFile(join(harness.projectDir, 'out', 'people.csv'), 'old content');
    await harness.dataPlane.run(`UPDATE df_people SET note = 'smile 😀' WHERE id = 2`);
    const error = await writeCsv({ encoding: 'latin-1' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'E_WRITE_FAILED',
      details: { row: 2, column: 'note', code_point: 'U+1F600' },
    });
    expect((await output()).toString()).toBe('old content');
    expect(await readdir(join(harness.projectDir, 'out'))).toEqual(['people.csv']);
  });

  it('leaves neither the output nor a temp file when aborted part-way (JS writer)', async () => {
    await harness.dataPlane.run(
      "CREATE TABLE df_many AS SELECT range AS n, repeat('x', 20) AS pad FROM range(35000)",
    );
    const controller = new AbortController();
    const error = await harness
      .run(driver, {
        stepId: 'many',
        needs: ['many'],
        config: { path: 'out/many.csv', encoding: 'utf-16' },
        signal: controller.signal,
        onProgress: () => controller.abort(),
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_CANCELLED' });
    expect(await readdir(join(harness.projectDir, 'out'))).toEqual([]);
  });

  it('leaves neither the output nor a temp file when aborted part-way (DuckDB COPY)', async () => {
    await harness.dataPlane.run('CREATE VIEW df_endless AS SELECT range AS n FROM range(10000000000)');
    const controller = new AbortController();
    const running = harness
      .run(driver, {
        stepId: 'endless',
        needs: ['endless'],
        config: { path: 'out/endless.csv' },
        signal: controller.signal,
      })
      .catch((caught: unknown) => caught);
    const outDirectory = join(harness.projectDir, 'out');
    // Abort once COPY has started writing its temp file.
    while (!existsSync(outDirectory) || (await readdir(outDirectory)).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    controller.abort();
    expect(await running).toMatchObject({ code: 'E_CANCELLED' });
    expect(await readdir(outDirectory)).toEqual([]);
  });

  it('refuses a path outside the project and a step without exactly one input', async () => {
    await expect(writeCsv({ path: '../people.csv' })).rejects.toMatchObject({ code: 'E_PATH_ESCAPE' });
    await expect(writeCsv({}, 'two', ['people', 'people'])).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('writes identical bytes on every run', async () => {
    await writeCsv({ path: 'out/a.csv' });
    await writeCsv({ path: 'out/b.csv' });
    expect(await output('out/a.csv')).toEqual(await output('out/b.csv'));
  });
});
