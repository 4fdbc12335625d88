import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentOrigin, ComponentSpec } from '../spec/component.js';
import type { Driver, DriverResult, DriverRunInput } from '../spec/driver.js';
import { CancelledError, ErrorCodes, isOsirisError, OsirisError } from '../spec/errors.js';

/** How long one run of a project component's driver may take when its spec sets no `limits.timeout_seconds`. */
export const DEFAULT_PROJECT_DRIVER_TIMEOUT_SECONDS = 3600;

/**
 * Import a project component's driver file and wrap it in the guard every project driver runs
 * behind. The import URL carries the file's content hash, so an edited driver is imported afresh
 * in a long-lived process. A file that fails to load (syntax error, missing import) or exports no
 * driver is E_COMPONENT_INVALID naming the component and file.
 */
export async function importProjectDriver(
  spec: ComponentSpec,
  origin: ComponentOrigin,
  projectDir: string,
): Promise<Driver> {
  const file = join(projectDir, origin.driverFile);
  let module: Record<string, unknown>;
  try {
    module = (await import(
      `${pathToFileURL(file).href}?sha256=${origin.contentHash.slice(7, 23)}`
    )) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OsirisError(
      ErrorCodes.COMPONENT_INVALID,
      `component ${spec.name}: ${origin.driverFile} cannot be loaded: ${firstLine(message)}`,
      {
        hint: `fix ${origin.driverFile} (\`node --check ${origin.driverFile}\` shows a syntax error with its line), then \`osiris components validate\`.`,
        details: { component: spec.name, file: origin.driverFile },
        cause: error,
      },
    );
  }
  const driver = pickDriver(module);
  if (!driver) {
    throw new OsirisError(
      ErrorCodes.COMPONENT_INVALID,
      `component ${spec.name}: ${origin.driverFile} exports no driver`,
      {
        hint: 'export `async function run({ stepId, config, inputs, ctx })` (or `export const driver = { run }`, or a default export with `run`).',
        details: { component: spec.name, file: origin.driverFile },
      },
    );
  }
  return guardProjectDriver(spec, origin, driver);
}

function pickDriver(module: Record<string, unknown>): Driver | undefined {
  const candidates = [module.driver, module.default, module];
  for (const candidate of candidates) {
    const run = (candidate as { run?: unknown } | undefined)?.run;
    if (typeof run === 'function') {
      return { run: (input) => (run as Driver['run']).call(candidate, input) };
    }
  }
  return undefined;
}

/**
 * The runtime guard around code Osiris did not write (kysely's idea: the core owns the invariants,
 * implementers write the minimum). A driver that throws something other than an OsirisError, runs
 * past its time limit or returns something other than `{ table?, rows }` fails its step with a
 * coded error naming the component and its driver file; an OsirisError it throws passes unchanged.
 */
export function guardProjectDriver(spec: ComponentSpec, origin: ComponentOrigin, driver: Driver): Driver {
  const limit = spec.limits?.timeout_seconds;
  const timeoutSeconds =
    typeof limit === 'number' && limit > 0 ? limit : DEFAULT_PROJECT_DRIVER_TIMEOUT_SECONDS;
  const details = (stepId: string) => ({ component: spec.name, file: origin.driverFile, step_id: stepId });
  return {
    async run(input: DriverRunInput): Promise<DriverResult> {
      const controller = new AbortController();
      const outer = input.ctx.signal;
      const forward = () => controller.abort(outer.reason);
      if (outer.aborted) forward();
      else outer.addEventListener('abort', forward, { once: true });
      const ctx = Object.create(input.ctx, { signal: { value: controller.signal, enumerable: true } });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new OsirisError(
            ErrorCodes.TIMEOUT,
            `Step '${input.stepId}' (${spec.name}) did not finish within ${timeoutSeconds} s`,
            {
              hint: `the driver in ${origin.driverFile} is stuck or slow; it was asked to stop (ctx.signal). Raise \`limits.timeout_seconds\` in ${origin.specFile} if it needs longer.`,
              details: details(input.stepId),
            },
          );
          controller.abort(error);
          // The driver cannot be stopped from outside: the CLI ends the process once the command
          // is done even if it still holds timers or sockets (see cli/main.ts).
          (globalThis as Record<symbol, unknown>)[Symbol.for('osiris.abandoned-drivers')] = true;
          reject(error);
        }, timeoutSeconds * 1000);
      });
      let result: unknown;
      try {
        result = await Promise.race([driver.run({ ...input, ctx }), timedOut]);
      } catch (error) {
        if (isOsirisError(error)) throw error;
        if (outer.aborted) throw new CancelledError('The step was cancelled.', { cause: error });
        const message = error instanceof Error ? error.message : String(error);
        throw new OsirisError(
          ErrorCodes.COMPONENT_FAILED,
          `component ${spec.name} failed in step '${input.stepId}': ${firstLine(message)}`,
          {
            hint: `the driver in ${origin.driverFile} threw this error; fix it there (throw an OsirisError from osiris-etl/driver for a coded error of your own).`,
            details: details(input.stepId),
            cause: error,
          },
        );
      } finally {
        clearTimeout(timer);
        outer.removeEventListener('abort', forward);
      }
      return checkResult(result, spec, origin, input.stepId);
    },
  };
}

function checkResult(
  result: unknown,
  spec: ComponentSpec,
  origin: ComponentOrigin,
  stepId: string,
): DriverResult {
  const record = result as { table?: unknown; rows?: unknown } | null | undefined;
  const producesData = !spec.modes.includes('write');
  const problem =
    typeof record !== 'object' || record === null
      ? `returned ${record === null ? 'null' : typeof record}`
      : typeof record.rows !== 'number' || !Number.isInteger(record.rows) || record.rows < 0
        ? `returned rows: ${JSON.stringify(record.rows) ?? 'undefined'} (a whole number of rows is required)`
        : record.table !== undefined && typeof record.table !== 'string'
          ? 'returned a table that is not a string'
          : producesData && record.table === undefined
            ? 'returned no table (an extract or transform step must name the data-plane table holding its rows)'
            : undefined;
  if (problem) {
    throw new OsirisError(
      ErrorCodes.COMPONENT_FAILED,
      `component ${spec.name} in step '${stepId}': the driver ${problem}`,
      {
        hint: `\`run\` in ${origin.driverFile} must resolve to { table?: string, rows: number }, e.g. { table: ctx.dataPlane.tableFor(stepId), rows }.`,
        details: { component: spec.name, file: origin.driverFile, step_id: stepId },
      },
    );
  }
  const checked = record as { table?: string; rows: number };
  return { ...(checked.table === undefined ? {} : { table: checked.table }), rows: checked.rows };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 500);
}
