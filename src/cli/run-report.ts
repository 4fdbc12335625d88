import pc from 'picocolors';

/**
 * Write the HTML report of a finished run (and refresh the index page beside it). A report that
 * cannot be written is a warning on stderr, never a failed run: the session is already on disk
 * and `osiris logs html` can write the report later.
 */
export async function writeRunReport(
  projectDir: string,
  runId: string,
  env: Record<string, string | undefined>,
  options: { quiet?: boolean } = {},
): Promise<string | undefined> {
  try {
    const { projectRedaction } = await import('../composition/project-redaction.js');
    const { writeReports } = await import('../report/write-reports.js');
    const written = await writeReports({
      projectDir,
      redaction: projectRedaction(projectDir, env),
      selector: { runId },
    });
    return written.reports[0]?.path;
  } catch (error) {
    if (!options.quiet) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `${pc.yellow('warning')} the HTML report was not written: ${message}\n  ${pc.cyan('hint:')} run \`osiris logs html ${runId}\` to try again.\n`,
      );
    }
    return undefined;
  }
}
