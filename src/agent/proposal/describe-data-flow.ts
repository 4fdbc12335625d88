import type { Registry } from '../../registry/registry.js';
import type { OmlDocument, OmlStep } from '../../spec/oml.js';
import type { DataFlowItem } from '../session/session-types.js';

/**
 * What a pipeline reads and writes, in words a user can approve: sources with their connection
 * and table or query, destinations with their file or table and write mode.
 */
export function describeDataFlow(
  document: OmlDocument,
  registry: Registry,
): { reads: DataFlowItem[]; writes: DataFlowItem[] } {
  const reads: DataFlowItem[] = [];
  const writes: DataFlowItem[] = [];
  for (const step of document.steps) {
    if (step.mode === 'read') reads.push(item(step, readTarget(step)));
    if (step.mode === 'write') writes.push(item(step, writeTarget(step, registry)));
  }
  return { reads, writes };
}

function item(step: OmlStep, target: string): DataFlowItem {
  const connection = step.config.connection;
  return {
    stepId: step.id,
    component: step.component,
    ...(typeof connection === 'string' ? { connection } : {}),
    target,
  };
}

function readTarget(step: OmlStep): string {
  const { table, query, path } = step.config;
  if (typeof table === 'string') return `table ${table}`;
  if (typeof query === 'string') return `query: ${oneLine(query, 100)}`;
  if (typeof path === 'string') return path;
  return step.component;
}

function writeTarget(step: OmlStep, registry: Registry): string {
  const { table, path, write_mode: writeMode } = step.config;
  const spec = registry.spec(step.component);
  const mode = typeof writeMode === 'string' ? ` (${writeMode})` : '';
  if (typeof path === 'string') return `${path}${mode}`;
  if (typeof table === 'string') return `table ${table}${mode}`;
  return spec?.title ?? step.component;
}

export function oneLine(text: string, limit: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > limit ? `${single.slice(0, limit - 1)}…` : single;
}
