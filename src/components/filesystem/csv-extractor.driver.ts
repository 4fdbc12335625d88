import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { DataPlane, Driver } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { projectRelativePath, resolveProjectPath } from '../../util/project-path.js';
import { assertFileExists } from '../duckdb/source-file.js';
import {
  cancelledError,
  messageOf,
  runInterruptible,
  withStepConnection,
} from '../duckdb/step-connection.js';
import { normalizeDelimiter } from './csv-format.js';
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
        const sql = `CREATE OR REPLACE TABLE ${quotedIdentifier(output)} AS SELECT * FROM read_csv(${quotedString(readable)}, ${readCsvOptions(config, encoding)})`;
        await withStepConnection(ctx.dataPlane, async (connection) => {
          try {
            await runInterruptible(connection, sql, ctx.signal);
          } catch (error) {
            if (isOsirisError(error)) throw error;
            throw new OsirisError(
              ErrorCodes.SOURCE_READ_FAILED,
              `Reading ${shownPath} failed: ${messageOf(error).replaceAll(readable, shownPath)}`,
              {
                hint: 'Check `delimiter`, `header`, `skip_rows` and `encoding`; set `columns` to give types explicitly, or `null_values` for placeholders such as "NA".',
                details: { path: shownPath },
                cause: error,
              },
            );
          }
        });
      },
    );
    const rows = await ctx.dataPlane.count(output);
    ctx.progress(rows);
    return { table: output, rows };
  },
};

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

function readCsvOptions(config: Record<string, unknown>, encoding: string): string {
  const options = [
    `delim = ${quotedString(normalizeDelimiter(typeof config.delimiter === 'string' ? config.delimiter : ','))}`,
    `header = ${config.header !== false}`,
    `skip = ${Number.isInteger(config.skip_rows) ? Number(config.skip_rows) : 0}`,
    `encoding = ${quotedString(encoding)}`,
  ];
  if (Array.isArray(config.null_values)) {
    options.push(`nullstr = [${config.null_values.map((value) => quotedString(String(value))).join(', ')}]`);
  }
  if (config.columns && typeof config.columns === 'object') {
    // By name, not position: compiled configs have their keys sorted, so the order the user wrote
    // them in does not survive compilation.
    const entries = Object.entries(config.columns as Record<string, unknown>);
    options.push(
      `types = {${entries.map(([name, type]) => `${quotedString(name)}: ${quotedString(String(type))}`).join(', ')}}`,
    );
  }
  return options.join(', ');
}
