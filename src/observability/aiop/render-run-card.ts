import type { AiopCore } from './aiop-types.js';
import { formatMs } from './narrate-run.js';

/** Rows of a sample shown on the card. */
const CARD_SAMPLE_ROWS = 5;

/** The Markdown run card: the package for a human, with the same evidence ids as the JSON. */
export function renderRunCard(core: AiopCore): string {
  const { run, dag, errors, checks, incremental, delta, narrative } = core;
  const lines: string[] = [];
  lines.push(`# Run card: ${run.pipeline} — ${run.status}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Run | \`${run.run_id}\` |`);
  lines.push(`| Status | ${run.status} |`);
  lines.push(`| Adapter | ${run.adapter} |`);
  lines.push(`| Started | ${run.started_at} |`);
  if (run.duration_ms !== undefined) lines.push(`| Duration | ${formatMs(run.duration_ms)} |`);
  lines.push(`| Rows delivered | ${run.total_rows} |`);
  lines.push(`| Manifest | \`${run.manifest_fp}\` |`, '');

  lines.push('## What happened', '');
  for (const sentence of narrative) {
    const cited = sentence.cites.length > 0 ? ` [${sentence.cites.map((id) => `\`${id}\``).join(', ')}]` : '';
    lines.push(`- ${cell(sentence.text, false)}${cited}`);
  }
  lines.push('');

  if (errors.length > 0) {
    lines.push('## Errors', '');
    for (const error of errors) {
      lines.push(`### ${error.step}: ${error.code}`, '');
      lines.push(`- Message: ${cell(error.message, false)}`);
      if (error.hint) lines.push(`- Hint: ${cell(error.hint, false)}`);
      lines.push(`- Cause: ${error.cause.location} — ${error.cause.reason}`);
      if (error.cause.next_command) lines.push(`- Check: \`${error.cause.next_command}\``);
      if (error.evidence.length > 0)
        lines.push(`- Evidence: ${error.evidence.map((id) => `\`${id}\``).join(', ')}`);
      lines.push('');
    }
  }

  lines.push('## Steps', '');
  lines.push('| Step | Component | Status | Rows | Duration | Needs |', '|---|---|---|---:|---:|---|');
  for (const step of dag.steps) {
    const duration = step.duration_ms !== undefined ? formatMs(step.duration_ms) : '';
    lines.push(
      `| ${cell(step.id)} | ${cell(step.component)} | ${step.status} | ${step.rows} | ${duration} | ${cell(step.needs.join(', '))} |`,
    );
  }
  lines.push('');

  for (const step of dag.steps) {
    if (!step.schema && !step.sample) continue;
    lines.push(`### Output of ${step.id}`, '');
    if (step.schema) {
      lines.push(
        `Columns: ${step.schema.columns.map((column) => `\`${column.name}\` ${column.type}`).join(', ')}`,
        '',
      );
    }
    if (step.sample && step.sample.columns.length > 0 && step.sample.rows.length > 0) {
      lines.push(`| ${step.sample.columns.map((column) => cell(column)).join(' | ')} |`);
      lines.push(`|${step.sample.columns.map(() => '---').join('|')}|`);
      for (const row of step.sample.rows.slice(0, CARD_SAMPLE_ROWS)) {
        lines.push(`| ${step.sample.columns.map((column) => cell(text(row[column]))).join(' | ')} |`);
      }
      lines.push('');
    }
  }

  if (checks.length > 0) {
    lines.push('## Checks', '');
    for (const check of checks)
      lines.push(
        `- ${String(check.step)} · ${String(check.name ?? check.check ?? '?')}: ${String(check.status)} [\`${String(check.evidence)}\`]`,
      );
    lines.push('');
  }
  if (incremental.length > 0) {
    lines.push('## Incremental windows', '');
    for (const item of incremental) {
      const { step, event, evidence, ...fields } = item;
      lines.push(
        `- ${String(step)} · ${String(event)}: ${cell(JSON.stringify(fields), false)} [\`${String(evidence)}\`]`,
      );
    }
    lines.push('');
  }

  lines.push('## Since the previous successful run', '');
  if (!delta.previous_run_id) lines.push(delta.note ?? 'No earlier successful run.', '');
  else {
    lines.push(`Previous: \`${delta.previous_run_id}\``, '');
    if (delta.rows)
      lines.push(
        `- Rows: ${delta.rows.previous} → ${delta.rows.current} (${delta.rows.change >= 0 ? '+' : ''}${delta.rows.change})`,
      );
    if (delta.duration_ms)
      lines.push(
        `- Duration: ${formatMs(delta.duration_ms.previous)} → ${formatMs(delta.duration_ms.current)}`,
      );
    for (const step of delta.steps ?? []) {
      const parts: string[] = [];
      if (step.rows?.change) parts.push(`rows ${step.rows.previous} → ${step.rows.current}`);
      if (step.schema) {
        if (step.schema.added.length) parts.push(`columns added: ${step.schema.added.join(', ')}`);
        if (step.schema.removed.length) parts.push(`columns removed: ${step.schema.removed.join(', ')}`);
        for (const change of step.schema.changed) parts.push(`${change.name}: ${change.from} → ${change.to}`);
      }
      if (parts.length > 0) lines.push(`- ${step.id}: ${parts.join('; ')}`);
    }
    lines.push('');
  }

  if (core.truncated.length > 0) {
    lines.push('## Truncated', '');
    for (const cut of core.truncated)
      lines.push(`- ${cut.section}: ${cut.kept} of ${cut.total} in the core; all in \`${cut.annex}\``);
    lines.push('');
  }
  lines.push('---', '', `_${core.privacy.note}_`, '');
  return lines.join('\n');
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One table cell (or inline text): no line breaks, pipes escaped, long text cut. */
function cell(value: string, table = true): string {
  const flat = value.replace(/\s*\n\s*/g, ' ');
  const cut = table && flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
  return table ? cut.replace(/\|/g, '\\|') : cut;
}
