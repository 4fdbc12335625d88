import { checkReferences } from '../../spec/checks.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { ManifestStep } from '../../spec/manifest.js';
import { Redactor } from '../../util/redactor.js';
import type { UpstreamOutput } from '../dag-scheduler.js';
import type { StepExecutionEnvironment } from '../step-executor.js';
import { checksFailedError, runChecks } from './run-checks.js';

/**
 * The audit of write–audit–publish: runs a step's checks against `table` (its output; a
 * writer's input, before it writes) and throws E_CHECK_FAILED when an `error` check failed, so
 * the step fails and nothing that depends on it starts. `available` holds the outputs of the
 * step's needs and of the steps its relationship checks read.
 */
export async function auditStep(
  env: StepExecutionEnvironment,
  step: ManifestStep,
  table: string | undefined,
  available: readonly UpstreamOutput[],
): Promise<void> {
  const checks = step.checks ?? [];
  if (checks.length === 0) return;
  if (!table) {
    throw new OsirisError(
      ErrorCodes.CHECK_FAILED,
      `step '${step.id}' has checks but no output table to check`,
      {
        hint: 'checks read the output of extractors and processors, or the input of a writer; remove `checks` from this step',
      },
    );
  }
  const references = new Map<string, string>();
  for (const id of checkReferences(checks)) {
    const output = available.find((upstream) => upstream.stepId === id);
    references.set(id, output?.table || env.dataPlane.tableFor(id));
  }
  const redactor = new Redactor();
  const results = await runChecks({
    dataPlane: env.dataPlane,
    stepId: step.id,
    table,
    checks,
    references,
    sink: env.sink,
    // The run's redaction where it is known; secret-named columns are masked either way.
    redact: (value) => (env.artifacts ? env.artifacts.redact(redactor.value(value)) : redactor.value(value)),
  });
  const failed = results.filter((result) => !result.passed && result.severity === 'error');
  if (failed.length > 0) throw checksFailedError(step.id, failed);
}
