import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataPlane, StepContext } from '../spec/driver.js';

/** Rows kept in a step's `sample.json`. */
export const SAMPLE_ROWS = 10;
/** Longer text values in a sample are cut to this many characters. */
const SAMPLE_TEXT_LIMIT = 500;

/** What the engine writes into each step's artifacts folder besides the driver's own files. */
export interface StepArtifactsOptions {
  /** Write a sample of the output rows (`osiris run --no-samples` turns it off). */
  samples: boolean;
  /** The run's redaction: every value passes through it before it reaches a file. */
  redact(value: unknown): unknown;
}

/** `config.json`: the step's compiled config, redacted (connections stay `@family.alias`). */
export async function writeConfigArtifact(
  ctx: StepContext,
  config: Record<string, unknown>,
  options: StepArtifactsOptions,
): Promise<void> {
  await notFatal(ctx, 'config.json', () => writeJsonArtifact(ctx, 'config.json', options.redact(config)));
}

/**
 * `schema.json` (columns and DuckDB types of the step's output table) and `sample.json` (its
 * first rows, redacted, as objects keyed by column so secret-named columns are masked too).
 */
export async function writeOutputArtifacts(
  ctx: StepContext,
  dataPlane: DataPlane,
  table: string,
  rows: number,
  options: StepArtifactsOptions,
): Promise<void> {
  await notFatal(ctx, 'schema.json and sample.json', () =>
    writeSchemaAndSample(ctx, dataPlane, table, rows, options),
  );
}

async function writeSchemaAndSample(
  ctx: StepContext,
  dataPlane: DataPlane,
  table: string,
  rows: number,
  options: StepArtifactsOptions,
): Promise<void> {
  const columns = await dataPlane.columns(table);
  await writeJsonArtifact(
    ctx,
    'schema.json',
    options.redact({
      table,
      rows,
      columns: columns.map(({ name, type, nullable }) => ({ name, type, nullable })),
    }),
  );
  if (!options.samples) return;
  const sample: Array<Record<string, unknown>> = [];
  for await (const chunk of dataPlane.readChunks(
    `SELECT * FROM ${dataPlane.quote(table)} LIMIT ${SAMPLE_ROWS}`,
    SAMPLE_ROWS,
  )) {
    for (const row of chunk.rows) {
      sample.push(Object.fromEntries(chunk.columns.map((column, index) => [column.name, row[index]])));
    }
  }
  await writeJsonArtifact(
    ctx,
    'sample.json',
    options.redact({ columns: columns.map((column) => column.name), rows: sample.map(sampleValue) }),
  );
}

/** An artifact that cannot be written is a warning on the step, never its failure. */
async function notFatal(ctx: StepContext, what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    ctx.log.warn(`${what} not written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function writeJsonArtifact(ctx: StepContext, name: string, value: unknown): Promise<void> {
  const path = join(ctx.artifactsDir, name);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(path, text, { mode: 0o600 });
  ctx.artifact(path, Buffer.byteLength(text));
}

/** A sample value as JSON: exact numbers as text, bytes as `\x` hex, long text cut. */
function sampleValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string')
    return value.length > SAMPLE_TEXT_LIMIT ? `${value.slice(0, SAMPLE_TEXT_LIMIT)}…` : value;
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, SAMPLE_TEXT_LIMIT / 2)).toString('hex');
    return `\\x${hex}${value.length > SAMPLE_TEXT_LIMIT / 2 ? '…' : ''}`;
  }
  if (Array.isArray(value)) return value.map(sampleValue);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sampleValue(item)]));
  }
  return value;
}
