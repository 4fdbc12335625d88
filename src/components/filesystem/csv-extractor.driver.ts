import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import { csvErrorFacts } from '../../runtime/data-plane/csv-error.js';
import {
  cancelledError,
  runInterruptible,
  withStepConnection,
} from '../../runtime/data-plane/step-connection.js';
import type { DataPlane, Driver } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { projectRelativePath, resolveProjectPath } from '../../util/project-path.js';
import { assertFileExists } from '../duckdb/source-file.js';
import { normalizeDelimiter } from './csv-format.js';
import { guessedFloatColumns, nonFiniteTextColumns, settleNumberColumns } from './csv-number-columns.js';
import { transcodeUtf16ToUtf8 } from './utf16-to-utf8.js';

/**
 * filesystem.csv_extractor: DuckDB's `read_csv` straight into the step's table (parsed in DuckDB,
 * in parallel, rows kept in file order). Column types are detected unless `columns` gives them.
 */
export const driver: Driver = {
  async run({ stepId, config, ctx }) {
    const file = resolveProjectPath(ctx.projectDir, String(config.path), 'path');
    const shownPath = projectRelativePath(ctx.projectDir, file);
    await assertFileExists(ctx.projectDir, file);
    const output = ctx.dataPlane.tableFor(stepId);
    await withUtf8Copy(
      file,
      config.encoding,
      scratchFolder(ctx.dataPlane),
      ctx.signal,
      async (readable, encoding) => {
        await withStepConnection(ctx.dataPlane, async (connection) => {
          try {
            const options = readCsvOptions(config, encoding);
            const source = (types: Record<string, string>) =>
              `read_csv(${quotedString(readable)}, ${[...options, typesOption(types)].filter(Boolean).join(', ')})`;
            const given = givenTypes(config);
            // Numbers the sniffer calls DOUBLE are read as text first, so none is rounded by a guess.
            const guessed = await guessedFloatColumns(connection, source(given), given);
            const sql = `CREATE OR REPLACE TABLE ${quotedIdentifier(output)} AS SELECT * FROM ${source({
              ...given,
              ...Object.fromEntries(guessed.map((name) => [name, 'VARCHAR'])),
            })}`;
            await runInterruptible(connection, sql, ctx.signal);
            // The guessed columns are settled anyway: only the other text columns need a look.
            const settled = { ...given, ...Object.fromEntries(guessed.map((name) => [name, 'VARCHAR'])) };
            const floats = [...guessed, ...(await nonFiniteTextColumns(connection, output, settled))];
            await settleNumberColumns(connection, output, floats, ctx.signal, (message, fields) =>
              ctx.log.warn(message, { path: shownPath, ...fields }),
            );
          } catch (error) {
            // A table whose column types were not settled is no output.
            await connection.run(`DROP TABLE IF EXISTS ${quotedIdentifier(output)}`).catch(() => undefined);
            throw readFailure(error, readable, shownPath);
          }
        });
      },
    );
    const rows = await ctx.dataPlane.count(output);
    ctx.progress(rows);
    return { table: output, rows };
  },
};

/** DuckDB's own message, before messageOf scrubs it: csvErrorFacts needs its column part. */
function rawMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** DuckDB's message quotes the offending line; only its line, column and wording are kept, not even the cause. */
function readFailure(error: unknown, readable: string, shownPath: string): OsirisError {
  if (isOsirisError(error)) {
    if (error.code !== ErrorCodes.SOURCE_READ_FAILED) return error;
    return new OsirisError(error.code, `Reading ${shownPath} failed: ${error.message}`, {
      ...(error.hint ? { hint: error.hint } : {}),
      details: { path: shownPath, ...error.details },
    });
  }
  const facts = csvErrorFacts(rawMessage(error).replaceAll(readable, shownPath));
  const where = [
    facts.line === undefined ? undefined : `line ${facts.line}`,
    facts.column === undefined ? undefined : `column "${facts.column}"`,
  ].filter(Boolean);
  return new OsirisError(
    ErrorCodes.SOURCE_READ_FAILED,
    `Reading ${shownPath} failed${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${facts.message}`,
    {
      hint: 'Check `delimiter`, `header`, `skip_rows` and `encoding`; set `columns` to give types explicitly, or `null_values` for placeholders such as "NA".',
      details: {
        path: shownPath,
        ...(facts.line === undefined ? {} : { line: facts.line }),
        ...(facts.column === undefined ? {} : { column: facts.column }),
      },
    },
  );
}

/**
 * Runs `read` on a file DuckDB can decode: the file itself, or for UTF-16 a temporary UTF-8 copy
 * (see transcodeUtf16ToUtf8), removed afterwards.
 */
async function withUtf8Copy(
  file: string,
  encoding: unknown,
  scratch: string,
  signal: AbortSignal,
  read: (readable: string, encoding: string) => Promise<void>,
): Promise<void> {
  if (encoding !== 'utf-16') return read(file, typeof encoding === 'string' ? encoding : 'utf-8');
  const directory = await mkdtemp(join(scratch, 'csv-'));
  try {
    const copy = join(directory, 'utf8.csv');
    await transcodeUtf16ToUtf8(file, copy, signal).catch((error: unknown) => {
      if (signal.aborted) throw cancelledError(error);
      throw error;
    });
    await read(copy, 'utf-8');
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Where the UTF-8 copy goes: the data plane's folder when it has one (SQL may be confined to the
 * project and that folder), else the system temp folder.
 */
function scratchFolder(dataPlane: DataPlane): string {
  const directory = (dataPlane as { directory?: unknown }).directory;
  return typeof directory === 'string' ? directory : tmpdir();
}

/**
 * read_csv options. NULL is an empty unquoted field and `""` the empty string
 * (`allow_quoted_nulls = false`), which is how filesystem.csv_writer tells them apart; a quoted
 * field is never NULL. `null_values: []` means nothing is NULL: an unquoted field can never hold
 * a line break, so a line break as the NULL string never matches.
 */
function readCsvOptions(config: Record<string, unknown>, encoding: string): string[] {
  const nulls = Array.isArray(config.null_values) ? config.null_values.map(String) : [''];
  return [
    `delim = ${quotedString(normalizeDelimiter(typeof config.delimiter === 'string' ? config.delimiter : ','))}`,
    `header = ${config.header !== false}`,
    `skip = ${Number.isInteger(config.skip_rows) ? Number(config.skip_rows) : 0}`,
    `encoding = ${quotedString(encoding)}`,
    `nullstr = [${(nulls.length > 0 ? nulls : ['\n']).map((value) => quotedString(value)).join(', ')}]`,
    'allow_quoted_nulls = false',
  ];
}

/** The configured `columns` (name → DuckDB type). */
function givenTypes(config: Record<string, unknown>): Record<string, string> {
  if (!config.columns || typeof config.columns !== 'object') return {};
  return Object.fromEntries(
    Object.entries(config.columns as Record<string, unknown>).map(([name, type]) => [name, String(type)]),
  );
}

/**
 * By name, not position: compiled configs have their keys sorted, so the order the user wrote
 * them in does not survive compilation.
 */
function typesOption(types: Record<string, string>): string | undefined {
  const entries = Object.entries(types);
  if (entries.length === 0) return undefined;
  return `types = {${entries.map(([name, type]) => `${quotedString(name)}: ${quotedString(type)}`).join(', ')}}`;
}
