import type { RunStatusFile } from '../spec/events.js';

/**
 * For a run that failed or was cancelled after some writers finished: which targets already hold
 * the new data. Each writer commits on its own (one transaction, or one atomic file rename, per
 * step); nothing rolls a finished writer back when a later step fails.
 */
export function committedWritersNote(status: Pick<RunStatusFile, 'status' | 'steps'>): string | undefined {
  if (status.status === 'success' || status.status === 'running') return undefined;
  const written = status.steps.filter((step) => step.status === 'success' && /writer$/.test(step.component));
  if (written.length === 0) return undefined;
  const names = written.map((step) => `${step.id} (${step.component})`).join(', ');
  const keep = written.length === 1 ? 'its target keeps' : 'their targets keep';
  return `committed: ${names}; each writer commits on its own, so ${keep} the new data although the run did not finish`;
}
