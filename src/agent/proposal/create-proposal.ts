import type { Registry } from '../../registry/registry.js';
import type { OmlDocument } from '../../spec/oml.js';
import type { Proposal, SessionRecord } from '../session/session-types.js';
import type { OmlCheck } from './check-oml.js';
import { describeDataFlow } from './describe-data-flow.js';

/**
 * A proposal from validated OML. It revises the session's previous proposal (pending or not), so
 * the user sees a diff whenever the pipeline changes under discussion.
 */
export function createProposal(options: {
  check: OmlCheck & { document: OmlDocument };
  registry: Registry;
  session: SessionRecord;
  summary?: string;
  source: Proposal['source'];
  now?: Date;
}): Proposal {
  const { check, session } = options;
  const previous = session.proposal;
  const { reads, writes } = describeDataFlow(check.document, options.registry);
  return {
    name: check.document.name,
    oml: check.text,
    ...(previous && previous.oml !== check.text ? { previousOml: previous.oml } : {}),
    ...(options.summary ? { summary: options.summary.trim() } : {}),
    reads,
    writes,
    warnings: check.warnings,
    source: options.source,
    status: 'pending',
    revision: (previous?.revision ?? 0) + 1,
    createdAt: (options.now ?? new Date()).toISOString(),
  };
}
