import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputSample, OutputSchema, StepDetails } from './run-details.js';

/**
 * Attach each step's output schema and sample (`artifacts/<step_id>/schema.json`, `sample.json`)
 * to its details. A file that is missing (older runs, `--no-samples`) is simply not shown; one
 * that cannot be read is a problem of the session, reported like the others.
 */
export async function readStepOutputs(
  sessionDir: string,
  steps: StepDetails[],
  problems: string[],
): Promise<void> {
  await Promise.all(
    steps.map(async (step) => {
      const schema = await readJson(sessionDir, step.id, 'schema.json', problems);
      if (isSchema(schema)) {
        step.schema = {
          columns: schema.columns.map((column) => ({
            name: String(column.name),
            type: String(column.type),
            ...(typeof column.nullable === 'boolean' ? { nullable: column.nullable } : {}),
          })),
          ...(typeof schema.rows === 'number' ? { rows: schema.rows } : {}),
        };
      }
      const sample = await readJson(sessionDir, step.id, 'sample.json', problems);
      if (isSample(sample)) step.sample = { columns: sample.columns.map(String), rows: sample.rows };
    }),
  );
}

async function readJson(
  sessionDir: string,
  stepId: string,
  name: string,
  problems: string[],
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(sessionDir, 'artifacts', stepId, name), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`artifacts/${stepId}/${name} is not valid JSON.`);
    return undefined;
  }
}

function isSchema(value: unknown): value is OutputSchema {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as OutputSchema).columns) &&
    (value as OutputSchema).columns.every((column) => typeof column === 'object' && column !== null)
  );
}

function isSample(value: unknown): value is OutputSample {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as OutputSample).columns) &&
    Array.isArray((value as OutputSample).rows) &&
    (value as OutputSample).rows.every(
      (row) => typeof row === 'object' && row !== null && !Array.isArray(row),
    )
  );
}
