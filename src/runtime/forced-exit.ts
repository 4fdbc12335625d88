/**
 * What must still happen when the user will not wait for a clean cancel (a second Ctrl-C): the
 * process exits at once, so only synchronous work runs. A run registers how to record itself as
 * cancelled and remove its temporary folders; without that it would stay `running` until a later
 * command noticed its process was gone.
 */
const cleanups = new Set<() => void>();

/**
 * Register `cleanup` (synchronous) for a forced exit; returns the function that unregisters it.
 * Only work that must outlive an immediate exit belongs here: it skips every normal cleanup path.
 */
export function onForcedExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/**
 * Run every registered cleanup, each once. A cleanup that fails cannot be retried (the process is
 * about to exit): its failure is returned for the caller to print, and the others still run.
 */
export function runForcedExitCleanups(): Error[] {
  const failures: Error[] = [];
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch (error) {
      failures.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return failures;
}
