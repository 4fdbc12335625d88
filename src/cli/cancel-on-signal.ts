import pc from 'picocolors';
import { runForcedExitCleanups } from '../runtime/forced-exit.js';
import { ExitCodes } from '../spec/errors.js';

/**
 * The first Ctrl-C (or SIGTERM) aborts `controller`, so the work stops cleanly: drivers see the
 * signal, outputs are not left half-written. A second one means the user will not wait for that,
 * so the process exits at once with the interrupted code. Returns the function that uninstalls it.
 */
export function cancelOnSignal(controller: AbortController): () => void {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      // The run records itself as cancelled and drops its temp folders, synchronously, first.
      for (const failure of runForcedExitCleanups()) {
        process.stderr.write(`could not finish recording the cancelled run: ${failure.message}\n`);
      }
      // Exiting without waiting is the point of a second Ctrl-C: the user will not wait for the
      // steps to notice the cancel. What must survive it was just done synchronously above.
      process.exit(ExitCodes.INTERRUPTED);
    }
    interrupted = true;
    process.stderr.write(`\n${pc.yellow('Cancelling…')} (press Ctrl-C again to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
