import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CARD_FILE, CORE_FILE, exportLoadedAiop } from '../observability/aiop/index.js';
import { findRun, type RunSelector } from '../observability/logs/find-run.js';
import { loadRunDetails } from '../observability/logs/load-run-details.js';
import type { ProjectRedaction } from '../observability/logs/project-redaction.js';
import { reportsDirOf } from '../observability/logs/runs-paths.js';
import { withRunIndex } from '../observability/logs/with-run-index.js';
import type { RunIndexRow } from '../observability/run-index.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { CHART_RUNS, renderIndexPage } from './html/render-index-page.js';
import { renderRunReport } from './html/render-run-report.js';
import { INDEX_FILE_NAME, reportFileName } from './report-file-name.js';

/** Runs listed on the index page. */
export const INDEX_RUNS = 1000;
/** Reports (re)written by `osiris logs html` without a run id. */
export const RECENT_REPORTS = 20;

export interface WriteReportsOptions {
  projectDir: string;
  redaction: ProjectRedaction;
  /** Default `<projectDir>/.osiris/reports`. */
  outDir?: string;
  /** One run; without it the most recent runs get reports. */
  selector?: RunSelector;
  now?: Date;
}

export interface WrittenReports {
  outDir: string;
  /** Report files written, newest run first. */
  reports: Array<{ runId: string; path: string }>;
  indexPath: string;
  /** Problems met while reading sessions (shown in the reports too). */
  problems: string[];
}

/**
 * Write HTML reports (one run, or the most recent ones) and refresh the index page beside them.
 * The index reads only the run index, never the session folders, so it stays fast with 1,000 runs.
 */
export async function writeReports(options: WriteReportsOptions): Promise<WrittenReports> {
  const outDir = resolve(options.outDir ?? reportsDirOf(options.projectDir));
  const now = options.now ?? new Date();
  const written: WrittenReports = {
    outDir,
    reports: [],
    indexPath: join(outDir, INDEX_FILE_NAME),
    problems: [],
  };
  const targets = options.selector
    ? [await findRun(options.projectDir, options.selector)]
    : await Promise.all(
        (await withRunIndex(options.projectDir, (index) => index?.list({ limit: RECENT_REPORTS }) ?? [])).map(
          (row) => findRun(options.projectDir, { runId: row.run_id }),
        ),
      );
  for (const found of targets) {
    const details = await loadRunDetails(found, options.redaction);
    const history = await pipelineHistory(options.projectDir, found.row);
    const aiop = await writeAiop(options, outDir, found.row, details, written.problems);
    const page = options.redaction.redactor.text(
      renderRunReport(details, {
        history,
        indexHref: INDEX_FILE_NAME,
        generatedAt: now,
        ...(aiop ? { aiop } : {}),
      }),
    );
    const path = join(outDir, reportFileName(found.row.run_id));
    await writeFileAtomic(path, page);
    written.reports.push({ runId: found.row.run_id, path });
    for (const problem of details.problems) written.problems.push(`${found.row.run_id}: ${problem}`);
  }
  await writeIndexPage(options.projectDir, outDir, options.redaction, now);
  return written;
}

/** The index page of recent runs, linking the reports that exist in `outDir`. */
export async function writeIndexPage(
  projectDir: string,
  outDir: string,
  redaction: ProjectRedaction,
  now: Date = new Date(),
): Promise<string> {
  const runs = await withRunIndex(projectDir, (index) => index?.list({ limit: INDEX_RUNS }) ?? []);
  const page = renderIndexPage({
    runs: redaction.redactor.value(runs) as RunIndexRow[],
    reportHref: (runId) => {
      const name = reportFileName(runId);
      return existsSync(join(outDir, name)) ? name : undefined;
    },
    generatedAt: now,
  });
  const path = join(outDir, INDEX_FILE_NAME);
  await writeFileAtomic(path, redaction.redactor.text(page));
  return path;
}

/**
 * The run's AI Operation Package beside its session (`.osiris/aiop/<run_id>/`), linked from the
 * report. A package that cannot be written is a problem of the report, never its failure.
 */
async function writeAiop(
  options: WriteReportsOptions,
  outDir: string,
  row: RunIndexRow,
  details: Awaited<ReturnType<typeof loadRunDetails>>,
  problems: string[],
): Promise<{ cardHref: string; jsonHref: string } | undefined> {
  try {
    const exported = await exportLoadedAiop(
      { projectDir: options.projectDir, redaction: options.redaction },
      row,
      details,
    );
    const href = (name: string) => relative(outDir, join(exported.dir, name)).split(sep).join('/');
    return { cardHref: href(CARD_FILE), jsonHref: href(CORE_FILE) };
  } catch (error) {
    problems.push(
      `${row.run_id}: the AI Operation Package was not written (${error instanceof Error ? error.message : String(error)}); run \`osiris logs aiop ${row.run_id}\``,
    );
    return undefined;
  }
}

async function pipelineHistory(projectDir: string, row: RunIndexRow): Promise<RunIndexRow[]> {
  const runs = await withRunIndex(
    projectDir,
    (index) => index?.list({ pipeline: row.pipeline, limit: CHART_RUNS }) ?? [],
  );
  return runs.reverse();
}
