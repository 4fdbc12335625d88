import { summarizeConnection } from '../../connections/connection-metadata.js';
import type { RawConnection } from '../../connections/types.js';

/** Fields the model may see: they name what to read, never how to log in. */
const FIELDS_FOR_MODEL = ['database', 'schema', 'path', 'dataset'] as const;

export interface ConnectionForModel {
  ref: string;
  family: string;
  default: boolean;
  database?: string;
  schema?: string;
  path?: string;
  dataset?: string;
}

/**
 * A connection as the model sees it: reference, family and what it points at. Hosts, users and
 * secrets stay out of prompts altogether rather than being masked.
 */
export function connectionForModel(
  raw: RawConnection,
  env: Record<string, string | undefined>,
): ConnectionForModel {
  const summary = summarizeConnection(raw, env);
  const shown: ConnectionForModel = { ref: summary.ref, family: summary.family, default: summary.isDefault };
  for (const field of FIELDS_FOR_MODEL) {
    const value = summary.fields[field];
    if (typeof value === 'string' && value !== '***' && !value.includes('${')) shown[field] = value;
  }
  return shown;
}

export function formatConnectionsForPrompt(connections: readonly ConnectionForModel[]): string {
  if (connections.length === 0) return 'No connections are configured yet (osiris_connections.yaml).';
  return connections
    .map((connection) => {
      const where = connection.database ?? connection.path ?? connection.dataset;
      return `- ${connection.ref} (${connection.family}${where ? `, ${where}` : ''}${connection.default ? ', default' : ''})`;
    })
    .join('\n');
}
