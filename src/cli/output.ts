import pc from 'picocolors';
import { type Diagnostic, formatDiagnostic } from '../spec/diagnostics.js';
import { ExitCodes, exitCodeForError, isOsirisError } from '../spec/errors.js';

const BEST_EFFORT = Symbol.for('osiris.bestEffortOutput');

/**
 * Terminal output is best-effort: a reader that goes away (`osiris run x.yaml 2>&1 | head -1`, a
 * closed terminal) must neither fail nor stop the work, so a run still finishes, writes its
 * outputs and exits with its own code. Node reports a write to a closed pipe as an 'error' event
 * on process.stdout/stderr, which kills the process when nobody listens; from the first such error
 * on, that stream's writes are dropped. Idempotent.
 */
export function makeTerminalOutputBestEffort(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const marked = stream as NodeJS.WriteStream & { [BEST_EFFORT]?: true };
    if (marked[BEST_EFFORT]) continue;
    marked[BEST_EFFORT] = true;
    // EPIPE, EIO (terminal gone), ERR_STREAM_DESTROYED: nothing to do but stop writing there.
    stream.on('error', () => undefined);
  }
}

/** The exit status an error ends a command with (the code catalogue carries it). */
export function exitCodeFor(error: unknown): number {
  return isOsirisError(error) ? exitCodeForError(error.code) : ExitCodes.INTERNAL;
}

/** Print an error for a human (or as JSON with `json`) and return the exit code it maps to. */
export function printError(error: unknown, options: { json?: boolean; verbose?: boolean } = {}): number {
  const code = exitCodeFor(error);
  if (options.json) {
    const body = isOsirisError(error)
      ? error.toJSON()
      : { code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error) };
    process.stdout.write(`${JSON.stringify({ ok: false, error: body }, null, 2)}\n`);
    return code;
  }
  if (isOsirisError(error)) {
    // A pipeline that does not validate reports its diagnostics as `osiris validate` does.
    const diagnostics = error.details.diagnostics;
    if (Array.isArray(diagnostics)) printDiagnostics(diagnostics as Diagnostic[]);
    process.stderr.write(`${pc.red('error')} ${pc.dim(`[${error.code}]`)} ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${pc.cyan('hint:')} ${error.hint}\n`);
    // A stack trace helps only with Osiris's own failures, never with a problem in the input.
    if (options.verbose && error.stack && code === ExitCodes.INTERNAL)
      process.stderr.write(`${pc.dim(error.stack)}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${pc.red('internal error')} ${message}\n`);
    process.stderr.write(
      `  ${pc.cyan('hint:')} this is a bug in Osiris; rerun with --verbose and report it.\n`,
    );
    if (options.verbose && error instanceof Error && error.stack)
      process.stderr.write(`${pc.dim(error.stack)}\n`);
  }
  return code;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const text = formatDiagnostic(d);
    const colored =
      d.severity === 'error'
        ? text.replace(' error ', ` ${pc.red('error')} `)
        : text.replace(' warning ', ` ${pc.yellow('warning')} `);
    process.stderr.write(`${colored}\n`);
  }
}

/** Why a `--json` result is not ok: the same `{ code, message, hint? }` a thrown error prints. */
export interface JsonError {
  code: string;
  message: string;
  hint?: string;
}

/**
 * The one `--json` envelope of every command: `{ "ok": true, ...result }` on success and
 * `{ "ok": false, ...result, "error": { code, message, hint? } }` otherwise (a thrown error
 * prints `{ "ok": false, "error": … }` the same way through `printError`).
 */
export function printResult(result: object, error?: JsonError): void {
  printJson(error ? { ok: false, ...result, error } : { ok: true, ...result });
}

export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
}

/** Wrap a command action: run it, map thrown errors to exit codes, never let a stack reach the user by default. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | undefined>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const options = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as
      | { json?: boolean; verbose?: boolean }
      | undefined;
    try {
      const code = await fn(...args);
      process.exitCode = code ?? ExitCodes.OK;
    } catch (error) {
      process.exitCode = printError(error, { json: options?.json, verbose: options?.verbose });
    }
  };
}
