import pc from 'picocolors';
import type { Proposal } from '../session/session-types.js';
import { diffLines } from './diff-lines.js';
import { highlightYaml } from './highlight-yaml.js';

/** Unchanged lines kept around each change in a revision's diff. */
const DIFF_CONTEXT = 2;

/**
 * A proposal as the user approves it: what it reads and writes, the OML (highlighted), and on a
 * revision the diff against the previous version, then how to decide.
 */
export function formatProposal(proposal: Proposal): string {
  const out: string[] = [];
  const revision = proposal.revision > 1 ? pc.dim(` (revision ${proposal.revision})`) : '';
  out.push(`${pc.bold('Proposed pipeline')} ${pc.cyan(proposal.name)}${revision}`);
  if (proposal.summary) out.push(proposal.summary);
  if (proposal.file) {
    const run = proposal.fixesRun ? ` (fix for run ${proposal.fixesRun})` : '';
    out.push(`  ${pc.yellow('replaces')} ${proposal.file}${pc.dim(run)}`);
  }
  for (const item of proposal.reads) {
    out.push(
      `  ${pc.blue('reads ')} ${item.connection ? `${item.connection} ` : ''}${item.target}  ${pc.dim(`[${item.stepId}]`)}`,
    );
  }
  for (const item of proposal.writes) {
    out.push(
      `  ${pc.magenta('writes')} ${item.connection ? `${item.connection} ` : ''}${item.target}  ${pc.dim(`[${item.stepId}]`)}`,
    );
  }
  for (const warning of proposal.warnings) out.push(`  ${pc.yellow('warning')} ${warning.message}`);
  out.push('');
  out.push(highlightYaml(proposal.oml.trimEnd()));
  if (proposal.previousOml !== undefined) {
    out.push('');
    out.push(pc.bold(proposal.file ? `Changes to ${proposal.file}:` : 'Changes since the previous version:'));
    out.push(formatDiff(proposal.previousOml, proposal.oml));
  }
  out.push('');
  out.push(
    `${pc.bold('Approve?')} ${pc.green('approve')} / ${pc.green('run it')} to save and run it, ${pc.red('reject')} to discard, or say what to change.`,
  );
  return out.join('\n');
}

export function formatDiff(before: string, after: string): string {
  const lines = diffLines(before, after);
  const keep = new Set<number>();
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    for (let near = index - DIFF_CONTEXT; near <= index + DIFF_CONTEXT; near += 1) keep.add(near);
  });
  const out: string[] = [];
  let skipped = false;
  lines.forEach((line, index) => {
    if (!keep.has(index)) {
      skipped = true;
      return;
    }
    if (skipped) out.push(pc.dim('  …'));
    skipped = false;
    if (line.kind === 'added') out.push(pc.green(`+ ${line.text}`));
    else if (line.kind === 'removed') out.push(pc.red(`- ${line.text}`));
    else out.push(pc.dim(`  ${line.text}`));
  });
  return out.length > 0 ? out.join('\n') : pc.dim('  (no changes)');
}
