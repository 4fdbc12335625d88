import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { SslMode } from '../postgres/connection-settings.js';

/** The REST API of a Supabase project: `url` plus `service_role_key` (preferred) or `key`. */
export interface RestEndpoint {
  url: string;
  key: string;
}

/** A Supabase connection speaks the Postgres protocol when it has a `dsn` or a `host`. */
export function hasPostgresProtocol(connection: ResolvedConnection): boolean {
  return nonEmpty(connection.fields.dsn) || nonEmpty(connection.fields.host);
}

export function restEndpoint(connection: ResolvedConnection): RestEndpoint | undefined {
  const url = connection.fields.url;
  const key = connection.fields.service_role_key ?? connection.fields.key;
  if (!nonEmpty(url) || !nonEmpty(key)) return undefined;
  return { url: url.replace(/\/+$/, ''), key };
}

export function requireRestEndpoint(connection: ResolvedConnection, component: string): RestEndpoint {
  const endpoint = restEndpoint(connection);
  if (endpoint) return endpoint;
  throw new OsirisError(
    ErrorCodes.CONNECTIONS_INVALID,
    `${component}: ${connection.ref} has neither a dsn/host nor url + key`,
    {
      hint: 'Give the connection `url` and `key` (or `service_role_key`) for the REST API, and/or `dsn` for the Postgres protocol.',
    },
  );
}

/**
 * Supabase's hosted databases accept TLS, and their connection strings rarely say so: require it
 * unless the connection says otherwise or points at this machine (a local Supabase stack).
 */
export function supabaseSslMode(connection: ResolvedConnection): SslMode {
  const host = connection.fields.host;
  const dsn = connection.fields.dsn;
  const target = nonEmpty(host) ? host : nonEmpty(dsn) ? hostOf(dsn) : '';
  return ['localhost', '127.0.0.1', '::1', ''].includes(target) || target.startsWith('/')
    ? 'prefer'
    : 'require';
}

function hostOf(dsn: string): string {
  try {
    return new URL(dsn).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
