/**
 * `<run_id>.html`. Run ids come from the index, which is a file on disk: anything that is not a
 * plain name is rewritten so a crafted id cannot place a report outside the output folder.
 */
export function reportFileName(runId: string): string {
  const safe = runId.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  return `${safe || 'run'}.html`;
}

export const INDEX_FILE_NAME = 'index.html';
