import pc from 'picocolors';
import type { RunEvent } from '../spec/events.js';

/** Events the step lines of RunProgress already show; `--verbose` does not repeat them. */
const SHOWN_AS_STEP_LINES = new Set([
  'step_start',
  'step_complete',
  'step_failed',
  'step_skipped',
  'step_progress',
]);

/** Longest value shown in a verbose event line; the full event is in events.jsonl. */
const MAX_VALUE_CHARS = 160;

/**
 * One run event as `osiris run --verbose` shows it: time, step, event name and its fields as
 * `key=value`, one line, never raw JSON (that is `--events-json`). Undefined for events the step
 * lines already show.
 */
export function formatEventLine(event: RunEvent, prefix = ''): string | undefined {
  if (SHOWN_AS_STEP_LINES.has(event.event)) return undefined;
  const { ts, run_id: _runId, event: name, step_id: stepId, ...fields } = event;
  const time = typeof ts === 'string' && ts.length >= 23 ? ts.slice(11, 23) : '';
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  const where = stepId ? `${stepId} ` : '';
  const label = name === 'warning' ? pc.yellow(name) : name;
  return `${pc.dim(`${prefix}· ${time}`)} ${where}${label}${parts.length > 0 ? ` ${pc.dim(parts.join(' '))}` : ''}`;
}

function formatValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? /[\s"=]/.test(value) || value === ''
        ? JSON.stringify(value)
        : value
      : JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
  const oneLine = (text ?? String(value)).replace(/\s*\n\s*/g, ' ');
  return oneLine.length > MAX_VALUE_CHARS ? `${oneLine.slice(0, MAX_VALUE_CHARS - 1)}…` : oneLine;
}
