import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { isOsirisError } from '../spec/errors.js';
import { callRedactor } from './call-redactor.js';
import type { McpContext } from './mcp-context.js';
import {
  AIOP_URI_TEMPLATE,
  aiopResourceUri,
  DISCOVERY_URI_TEMPLATE,
  discoveryResourceUri,
  RUN_URI_TEMPLATE,
  runResourceUri,
} from './resource-uris.js';
import { serializeError } from './tool-result.js';

const JSON_MIME = 'application/json';
const SCHEMA_MIME = 'application/schema+json';
/** Families discovery can read; other connections are not offered as discovery resources. */
const DISCOVERABLE = new Set(['mysql', 'postgres', 'supabase', 'duckdb', 'sqlite', 'filesystem']);
const LISTED_RUNS = 20;

/**
 * Read-only views a client can attach to a conversation: run summaries, discovery profiles and
 * the OML schema. Every body is JSON scrubbed of secrets.
 */
export function registerResources(server: McpServer, context: McpContext): void {
  server.registerResource(
    'run',
    new ResourceTemplate(RUN_URI_TEMPLATE, {
      list: async () => {
        const { listRuns } = await import('../observability/logs/index.js');
        const runs = await listRuns(context.projectDir, { limit: LISTED_RUNS });
        return {
          resources: runs.map((run) => ({
            uri: runResourceUri(run.run_id),
            name: run.run_id,
            title: `${run.pipeline}: ${run.status} (${run.started_at})`,
            mimeType: JSON_MIME,
          })),
        };
      },
    }),
    {
      title: 'Run summary',
      description: 'Status, timings, rows and errors of one pipeline run (as run_show returns it)',
      mimeType: JSON_MIME,
    },
    async (uri, variables) =>
      readJson(context, uri, async () => {
        const { showRun } = await import('./show-run.js');
        return showRun(context, { runId: variable(variables.run_id) }, { events: false });
      }),
  );

  server.registerResource(
    'aiop',
    new ResourceTemplate(AIOP_URI_TEMPLATE, {
      list: async () => {
        const { listRuns } = await import('../observability/logs/index.js');
        const runs = await listRuns(context.projectDir, { limit: LISTED_RUNS });
        return {
          resources: runs.map((run) => ({
            uri: aiopResourceUri(run.run_id),
            name: `aiop ${run.run_id}`,
            title: `AI Operation Package of ${run.pipeline}: ${run.status} (${run.started_at})`,
            mimeType: JSON_MIME,
          })),
        };
      },
    }),
    {
      title: 'AI Operation Package',
      description:
        'Deterministic, secret-free package of one run for a model: facts, DAG, errors with causes, delta and a narrative citing evidence ids (as run_aiop returns it)',
      mimeType: JSON_MIME,
    },
    async (uri, variables) =>
      readJson(context, uri, async () => {
        const { exportAiop } = await import('../observability/aiop/index.js');
        const { projectRedaction } = await import('../composition/project-redaction.js');
        const exported = await exportAiop({
          projectDir: context.projectDir,
          redaction: projectRedaction(context.projectDir, context.env),
          selector: { runId: variable(variables.run_id) },
        });
        return exported.package.core as unknown as Record<string, unknown>;
      }),
  );

  server.registerResource(
    'discovery',
    new ResourceTemplate(DISCOVERY_URI_TEMPLATE, {
      list: async () => {
        const { loadConnections } = await import('../connections/index.js');
        const config = loadConnections({ cwd: context.projectDir, env: context.env });
        return {
          resources: config.connections
            .filter((connection) => DISCOVERABLE.has(connection.family))
            .map((connection) => {
              const ref = `@${connection.family}.${connection.alias}`;
              return {
                uri: discoveryResourceUri(ref),
                name: ref,
                title: `Schema and samples of ${ref}`,
                mimeType: JSON_MIME,
              };
            }),
        };
      },
    }),
    {
      title: 'Discovery profile',
      description:
        'Tables, columns, keys and sample rows of a connection (cached for an hour, read-only discovery)',
      mimeType: JSON_MIME,
    },
    async (uri, variables) =>
      readJson(context, uri, async () => {
        const { discoverDatabase } = await import('../composition/builtins.js');
        const profile = await discoverDatabase({
          projectDir: context.projectDir,
          ref: variable(variables.connection),
          env: context.env,
        });
        return profile as unknown as Record<string, unknown>;
      }),
  );

  server.registerResource(
    'oml-schema',
    'osiris://oml/schema',
    {
      title: 'OML JSON Schema',
      description: 'JSON Schema of OML v0.1.0 with the config schema of every component',
      mimeType: SCHEMA_MIME,
    },
    async (uri) =>
      readJson(
        context,
        uri,
        async () => {
          const { createDefaultRegistry } = await import('../composition/builtins.js');
          const { omlJsonSchema } = await import('./oml-json-schema.js');
          return omlJsonSchema(createDefaultRegistry());
        },
        SCHEMA_MIME,
      ),
  );
}

/** One template variable, percent-decoded (`%40mysql.movies` and `@mysql.movies` alike). */
function variable(value: string | string[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return decodeURIComponent(first ?? '');
}

/**
 * The body as scrubbed JSON. Failures become a JSON-RPC error whose data carries the Osiris code
 * and hint, the same fields a tool error has.
 */
async function readJson(
  context: McpContext,
  uri: URL,
  produce: () => Promise<Record<string, unknown>>,
  mimeType = JSON_MIME,
): Promise<ReadResourceResult> {
  let body: Record<string, unknown>;
  try {
    body = await produce();
  } catch (error) {
    const redactor = await callRedactor(context.projectDir, context.env);
    const serialized = redactor.strings(serializeError(error), { keys: true });
    if (!isOsirisError(error)) {
      const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`osiris mcp: reading ${uri.href} failed: ${redactor.text(stack)}\n`);
    }
    const code = isOsirisError(error) ? ErrorCode.InvalidParams : ErrorCode.InternalError;
    throw new McpError(code, `[${serialized.code}] ${serialized.message}`, serialized);
  }
  const redactor = await callRedactor(context.projectDir, context.env);
  const text = JSON.stringify(redactor.strings(body, { keys: true }), null, 2);
  return { contents: [{ uri: uri.href, mimeType, text }] };
}
