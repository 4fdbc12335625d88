import { formatConnectionRef } from '../../connections/connection-ref.js';
import type { ConnectionsConfig } from '../../connections/types.js';
import type { Registry } from '../../registry/registry.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { ChatEvent } from '../chat-events.js';
import { checkOml, diagnosticsForModel } from '../proposal/check-oml.js';
import { createProposal } from '../proposal/create-proposal.js';
import type { Proposal, SessionRecord } from '../session/session-types.js';
import type { DiscoveryApi } from '../tools/discovery-port.js';
import { formatPreviewTable } from './preview-table.js';
import {
  chooseSqlConnection,
  defaultSqlOutput,
  normalizeSelect,
  pipelineNameForSql,
  queryExtractorFor,
  sqlPipelineOml,
} from './sql-pipeline.js';

/** Rows of the SQL's result shown before the proposal: enough to see it is the right query. */
const PREVIEW_ROWS = 5;

export interface SqlProposalInput {
  sql: string;
  /** `@family.alias`; the default connection when absent. */
  connection?: string;
  /** Output file; its extension picks the format. Default output/<name>.csv. */
  output?: string;
  projectDir: string;
  env: Record<string, string | undefined>;
  registry: Registry;
  connections: ConnectionsConfig;
  discovery: () => Promise<DiscoveryApi>;
  session: SessionRecord;
  signal: AbortSignal;
  emit: (event: ChatEvent) => void;
}

/**
 * SQL mode, without the model: run the user's SELECT read-only for a preview (which also proves
 * it is valid), then propose a pipeline that extracts it and writes a CSV under output/.
 */
export async function buildSqlProposal(
  input: SqlProposalInput,
): Promise<{ proposal: Proposal; connection: string; columns: string[] }> {
  const sql = normalizeSelect(input.sql);
  const raw = chooseSqlConnection(input.connections, input.connection);
  const ref = formatConnectionRef(raw.family, raw.alias);
  const component = queryExtractorFor(input.registry, raw.family);

  const started = performance.now();
  const id = 'sql-preview';
  const label = `querying ${ref}`;
  input.emit({ type: 'tool-start', id, tool: 'run_readonly_query', label });
  let preview: { columns: unknown[]; rows: unknown[]; truncated: boolean };
  try {
    const discovery = await input.discovery();
    preview = await discovery.runReadonlyQuery({
      projectDir: input.projectDir,
      ref,
      sql,
      maxRows: PREVIEW_ROWS,
      env: input.env,
      signal: input.signal,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    input.emit({
      type: 'tool-end',
      id,
      tool: 'run_readonly_query',
      label,
      summary: `failed: ${message}`,
      ok: false,
      durationMs: Math.round(performance.now() - started),
    });
    throw error;
  }
  const rowCount = preview.rows.length;
  input.emit({
    type: 'tool-end',
    id,
    tool: 'run_readonly_query',
    label,
    summary: `${rowCount}${preview.truncated ? '+' : ''} row${rowCount === 1 ? '' : 's'}`,
    ok: true,
    durationMs: Math.round(performance.now() - started),
  });
  const columns = preview.columns.map((column) =>
    typeof column === 'string' ? column : String((column as { name?: unknown }).name ?? column),
  );
  if (rowCount > 0) {
    input.emit({
      type: 'notice',
      level: 'info',
      text: `preview:\n${formatPreviewTable(columns, preview.rows)}`,
    });
  }

  const name = pipelineNameForSql(sql);
  const output = input.output ?? defaultSqlOutput(name);
  const check = checkOml(sqlPipelineOml({ name, component, connection: ref, sql, output }), {
    registry: input.registry,
    connections: input.connections,
    env: input.env,
    projectDir: input.projectDir,
  });
  if (!check.document || check.errors.length > 0) {
    throw new OsirisError(ErrorCodes.INVALID_OML, 'The pipeline built from your SQL does not validate.', {
      hint: diagnosticsForModel(check.errors).join('; '),
    });
  }
  const proposal = createProposal({
    check: { ...check, document: check.document },
    registry: input.registry,
    session: input.session,
    summary:
      `Runs your SQL on ${ref} and writes the result to ${output}` +
      (input.output ? '.' : ' (CSV; for Parquet or JSON name the file: `SQL output/x.parquet: SELECT …`).'),
    source: 'sql',
  });
  return { proposal, connection: ref, columns };
}
