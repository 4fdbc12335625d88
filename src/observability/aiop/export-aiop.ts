import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { type FoundRun, findRun, type RunSelector } from '../logs/find-run.js';
import { loadRunDetails } from '../logs/load-run-details.js';
import type { ProjectRedaction } from '../logs/project-redaction.js';
import type { RunDetails } from '../logs/run-details.js';
import { withRunIndex } from '../logs/with-run-index.js';
import type { RunIndexRow } from '../run-index.js';
import { aiopDirOf } from './aiop-paths.js';
import type { AiopPackage } from './aiop-types.js';
import { buildAiop } from './build-aiop.js';

export const CORE_FILE = 'aiop.json';
export const CARD_FILE = 'run-card.md';

export interface ExportAiopOptions {
  projectDir: string;
  redaction: ProjectRedaction;
  selector: RunSelector;
  samples?: boolean;
  maxCoreBytes?: number;
  /** Write the package folder (default true); false only builds it. */
  write?: boolean;
}

export interface ExportedAiop {
  runId: string;
  /** `<project>/.osiris/aiop/<run_id>`. */
  dir: string;
  package: AiopPackage;
  /** Problems met while reading the sessions (a truncated events file). */
  problems: string[];
}

/**
 * Build the AIOP of a run (and of its delta against the previous successful run of the same
 * pipeline) and write it to `.osiris/aiop/<run_id>/`: aiop.json, run-card.md and annex/*.ndjson.
 * Every file is written whole (temp file, then rename).
 */
export async function exportAiop(options: ExportAiopOptions): Promise<ExportedAiop> {
  const found = await findRun(options.projectDir, options.selector);
  const details = await loadRunDetails(found, options.redaction);
  return exportLoadedAiop(options, found.row, details);
}

/** exportAiop for a run already read (the HTML report writer has its details in hand). */
export async function exportLoadedAiop(
  options: Omit<ExportAiopOptions, 'selector'>,
  row: RunIndexRow,
  details: RunDetails,
): Promise<ExportedAiop> {
  const previous = await previousSuccess(options.projectDir, row, options.redaction);
  const built = buildAiop(details, {
    ...(previous ? { previous } : {}),
    ...(options.samples === false ? { samples: false } : {}),
    ...(options.maxCoreBytes !== undefined ? { maxCoreBytes: options.maxCoreBytes } : {}),
    redact: (text) => options.redaction.redactor.text(text),
  });
  const dir = join(aiopDirOf(options.projectDir), row.run_id);
  if (options.write !== false) await writePackage(dir, built);
  return { runId: row.run_id, dir, package: built, problems: details.problems };
}

async function writePackage(dir: string, built: AiopPackage): Promise<void> {
  await mkdir(dir, { recursive: true });
  // A package written before (say with samples) must not keep annex files this one lacks.
  await rm(join(dir, 'annex'), { recursive: true, force: true });
  for (const [name, text] of built.annex) await writeFileAtomic(join(dir, name), text, 0o600);
  await writeFileAtomic(join(dir, CARD_FILE), built.markdown, 0o600);
  await writeFileAtomic(join(dir, CORE_FILE), built.json, 0o600);
}

/** The latest successful run of the same pipeline that started before this one. */
async function previousSuccess(
  projectDir: string,
  row: RunIndexRow,
  redaction: ProjectRedaction,
): Promise<RunDetails | undefined> {
  const candidates = await withRunIndex(
    projectDir,
    (index) => index?.list({ pipeline: row.pipeline, status: 'success', limit: -1 }) ?? [],
  );
  const earlier = candidates.find(
    (candidate) =>
      candidate.run_id !== row.run_id &&
      (candidate.started_at < row.started_at ||
        (candidate.started_at === row.started_at && candidate.run_id < row.run_id)),
  );
  if (!earlier) return undefined;
  let found: FoundRun;
  try {
    found = await findRun(projectDir, { runId: earlier.run_id });
    return await loadRunDetails(found, redaction);
  } catch {
    // A previous session that cannot be read leaves the delta empty; the export still works.
    return undefined;
  }
}
