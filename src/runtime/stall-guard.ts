import { ErrorCodes, OsirisError } from '../spec/errors.js';

/**
 * Node ends a process whose event loop has nothing left to wait for, with exit code 0, even while
 * a promise is pending: a driver that loses its last event (a socket that closed without telling
 * its reader) would make a run look like a success. While `work` is pending, the loop draining
 * (`beforeExit`) fails it with `stalled()` instead: nothing is left that could ever settle it.
 * The work itself is abandoned, not cancelled; the caller cleans up as after any failure.
 */
export function failIfStalled<T>(
  work: Promise<T>,
  stalled: () => Error,
  options: { outer?: boolean } = {},
): Promise<T> {
  const outer = options.outer ?? false;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = () => {
      done = true;
      process.off('beforeExit', onBeforeExit);
      if (!outer) pendingInner -= 1;
    };
    const onBeforeExit = () => {
      // An outer guard (a whole run) leaves a stall to the step guards inside it, which can say
      // which step it was; it fires only when the run is stuck outside any step.
      if (done || (outer && pendingInner > 0)) return;
      finish();
      reject(stalled());
    };
    if (!outer) pendingInner += 1;
    process.on('beforeExit', onBeforeExit);
    work.then(
      (value) => {
        if (done) return;
        finish();
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        finish();
        reject(error);
      },
    );
  });
}

/** Step guards pending in this process. */
let pendingInner = 0;

export function runStalledError(): OsirisError {
  return new OsirisError(
    ErrorCodes.STEP_STALLED,
    'The run stopped making progress: nothing was left that could finish it.',
    { hint: 'This is a bug in Osiris; nothing unfinished was kept. Rerun with --verbose and report it.' },
  );
}

export function stepStalledError(stepId: string, component: string): OsirisError {
  return new OsirisError(
    ErrorCodes.STEP_STALLED,
    `Step '${stepId}' (${component}) stopped making progress: nothing was left that could finish it.`,
    {
      hint:
        'This is a bug in the component (it lost track of its connection or file); nothing of the step ' +
        'was kept. Rerun with --verbose and report it.',
      details: { step_id: stepId, component },
    },
  );
}
