import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RunIndex } from '../../observability/run-index.js';
import type { RunStatusFile } from '../../spec/events.js';
import type { CompiledPipeline } from '../../spec/manifest.js';

/** How many recent successful runs are searched for a step's last row count. */
const RECENT_RUNS = 20;

/** `osiris run --skip-checks`: the same pipeline with no checks on any step. */
export function withoutChecks(compiled: CompiledPipeline): CompiledPipeline {
  return {
    ...compiled,
    manifest: {
      ...compiled.manifest,
      steps: compiled.manifest.steps.map(({ checks: _checks, ...step }) => step),
    },
  };
}

/** Number of checks the pipeline declares. */
export function countChecks(compiled: CompiledPipeline): number {
  return compiled.manifest.steps.reduce((sum, step) => sum + (step.checks?.length ?? 0), 0);
}

/**
 * `row_count: { within_percent }` compares with the step's rows in the last successful run of the
 * same pipeline in which the step succeeded, found through the run index. The count is put on the
 * check (`baseline_rows`), so every adapter's worker sees it without asking for the index.
 */
export async function withCheckBaselines(
  compiled: CompiledPipeline,
  runsDir: string,
  projectDir: string,
): Promise<CompiledPipeline> {
  const wanted = compiled.manifest.steps.filter((step) =>
    step.checks?.some((check) => check.type === 'row_count' && check.within_percent !== undefined),
  );
  if (wanted.length === 0) return compiled;
  const baselines = await lastSuccessfulRows(
    compiled.manifest.pipeline.name,
    new Set(wanted.map((step) => step.id)),
    runsDir,
    projectDir,
  );
  return {
    ...compiled,
    manifest: {
      ...compiled.manifest,
      steps: compiled.manifest.steps.map((step) => {
        const rows = baselines.get(step.id);
        if (rows === undefined || !step.checks) return step;
        return {
          ...step,
          checks: step.checks.map((check) =>
            check.type === 'row_count' && check.within_percent !== undefined
              ? { ...check, baseline_rows: rows }
              : check,
          ),
        };
      }),
    },
  };
}

async function lastSuccessfulRows(
  pipeline: string,
  stepIds: Set<string>,
  runsDir: string,
  projectDir: string,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const index = await RunIndex.open(join(runsDir, 'index.db'));
  try {
    for (const run of index.list({ pipeline, status: 'success', limit: RECENT_RUNS })) {
      const folder = isAbsolute(run.session_dir) ? run.session_dir : join(projectDir, run.session_dir);
      let status: RunStatusFile;
      try {
        status = JSON.parse(await readFile(join(folder, 'status.json'), 'utf8')) as RunStatusFile;
      } catch {
        continue;
      }
      for (const step of status.steps ?? []) {
        if (stepIds.has(step.id) && !found.has(step.id) && step.status === 'success')
          found.set(step.id, step.rows);
      }
      if (found.size === stepIds.size) break;
    }
  } finally {
    index.close();
  }
  return found;
}
