import {
  connectionSecretValues,
  isSecretField,
  loadConnections,
  secretNamesFromSpecs,
} from '../../connections/index.js';
import type { ComponentSpec } from '../../spec/component.js';
import { ErrorCodes, isOsirisError } from '../../spec/errors.js';
import { isSecretKey, MASK, Redactor, secretValuesFromEnv } from '../redaction.js';

/**
 * What the logs commands mask on the way out. The session files were redacted when written; this
 * second pass also catches secrets set or rotated since, files that bypassed the writer (cfg/,
 * artifacts) and anything an older version let through.
 */
export interface ProjectRedaction {
  redactor: Redactor;
  /** Whether a field name marks its value as secret (common names plus the component specs' own). */
  isSecretName(name: string): boolean;
  /** Why masking is weaker than usual (an unreadable connections file), to show the user. */
  problems: string[];
}

export function projectRedaction(
  projectDir: string,
  env: Record<string, string | undefined>,
  /** The project's component specs: their `secrets` name fields to mask besides the common names. */
  specs: readonly ComponentSpec[],
  /** Why the specs are fewer than the project's (a broken project component), to show the user. */
  specProblems: readonly string[] = [],
): ProjectRedaction {
  const secretNames = secretNamesFromSpecs(specs);
  // Field names repeat across thousands of events; deciding once per name keeps big runs fast.
  const decided = new Map<string, boolean>();
  const isSecretName = (name: string) => {
    let secret = decided.get(name);
    if (secret === undefined) {
      secret = isSecretKey(name) || isSecretField(name, secretNames);
      decided.set(name, secret);
    }
    return secret;
  };
  const problems: string[] = [...specProblems];
  let secrets = secretValuesFromEnv(env);
  try {
    const config = loadConnections({ cwd: projectDir, env });
    secrets = [
      ...secrets,
      ...secretValuesFromEnv(config.env),
      ...connectionSecretValues(config, secretNames),
    ];
  } catch (error) {
    // Logs of past runs stay readable when the connections file is broken today; the user is told
    // that only named fields, URL passwords and secret variables are masked.
    if (!isOsirisError(error) || error.code !== ErrorCodes.CONNECTIONS_INVALID) throw error;
    problems.push(
      `osiris_connections.yaml could not be read (${error.message}); secret-named fields, URL passwords and secret environment variables are still masked.`,
    );
  }
  return { redactor: new Redactor(secrets), isSecretName, problems };
}

/**
 * Deep copy with every value under a secret-named key replaced by `***`; `@family.alias`
 * references stay readable because they name a connection, not a credential.
 */
export function maskSecretNamedValues(value: unknown, isSecretName: (name: string) => boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => maskSecretNamedValues(item, isSecretName));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const masked =
      isSecretName(key) && item !== null && item !== undefined && item !== '' && !isConnectionReference(item);
    out[key] = masked ? MASK : maskSecretNamedValues(item, isSecretName);
  }
  return out;
}

function isConnectionReference(value: unknown): boolean {
  return typeof value === 'string' && /^@[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?$/.test(value);
}
