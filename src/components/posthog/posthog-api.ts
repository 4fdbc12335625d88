import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/**
 * A `@posthog.<alias>` connection as the HTTP source every API family shares: `base_url` (US cloud
 * by default) and the personal `api_key` as a bearer token; `project_id` is required.
 */
export function posthogApi(connection: ResolvedConnection | undefined): {
  connection: ResolvedConnection | undefined;
  projectId: string;
} {
  const fields = connection?.fields ?? {};
  const projectId = fields.project_id;
  if (projectId === undefined || projectId === '') {
    throw new OsirisError(
      ErrorCodes.CONNECTIONS_INVALID,
      `${connection?.ref ?? '@posthog'}: project_id is missing`,
      {
        hint: 'add project_id (Project settings → Project ID) to the connection.',
      },
    );
  }
  return {
    projectId: String(projectId),
    connection: connection && {
      ...connection,
      fields: {
        base_url: typeof fields.base_url === 'string' ? fields.base_url : 'https://us.posthog.com',
        auth: { type: 'bearer', token: fields.api_key },
      },
    },
  };
}
