import type { Registry } from '../../registry/registry.js';
import type { SessionRecord } from '../session/session-types.js';
import { BASE_INSTRUCTIONS, FAST_MODE_INSTRUCTIONS } from './base-instructions.js';
import { buildComponentContext, formatComponentContext } from './component-context.js';
import { type ConnectionForModel, formatConnectionsForPrompt } from './connection-context.js';
import type { CustomPrompts } from './custom-prompts.js';

export interface SystemPromptInput {
  registry: Registry;
  connections: readonly ConnectionForModel[];
  session?: SessionRecord;
  fast?: boolean;
  /** Pro mode's prompts from .osiris/prompts/. */
  custom?: CustomPrompts;
}

/** Discovered tables listed per connection; beyond this the model asks discover_schema again. */
const DISCOVERED_TABLES_IN_PROMPT = 40;

/**
 * The system prompt: instructions, the component catalogue (from the specs, no secrets), the
 * connections (references only), what this session already discovered and the pipeline awaiting
 * approval, so a resumed session continues where it stood.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const sections = [
    input.custom?.system ?? BASE_INSTRUCTIONS,
    `## Components\n${formatComponentContext(buildComponentContext(input.registry))}`,
    `## Connections\n${formatConnectionsForPrompt(input.connections)}`,
  ];
  const discovered = input.session ? formatDiscovered(input.session) : undefined;
  if (discovered) sections.push(`## Already discovered in this conversation\n${discovered}`);
  const proposal = input.session?.proposal;
  if (proposal?.status === 'pending') {
    sections.push(
      `## Pipeline awaiting the user's approval (revision ${proposal.revision})\n` +
        'If the user asks for changes, propose the full revised OML.\n' +
        `\`\`\`yaml\n${proposal.oml.trimEnd()}\n\`\`\``,
    );
  }
  for (const extra of input.custom?.extras ?? [])
    sections.push(`## Project instructions (${extra.file})\n${extra.text}`);
  if (input.fast) sections.push(`## Mode\n${FAST_MODE_INSTRUCTIONS}`);
  return sections.join('\n\n');
}

function formatDiscovered(session: SessionRecord): string | undefined {
  const lines: string[] = [];
  for (const [ref, { tables }] of Object.entries(session.context.connections)) {
    const shown = tables
      .slice(0, DISCOVERED_TABLES_IN_PROMPT)
      .map((table) => `${table.name}(${table.columns.join(', ')})`);
    const more =
      tables.length > DISCOVERED_TABLES_IN_PROMPT
        ? ` … ${tables.length - DISCOVERED_TABLES_IN_PROMPT} more`
        : '';
    lines.push(`- ${ref}: ${shown.join('; ')}${more}`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
