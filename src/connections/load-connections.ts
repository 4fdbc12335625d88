import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { findConnectionsFile } from './find-connections-file.js';
import { parseConnectionsFile } from './parse-connections-file.js';
import { readDotenv } from './read-dotenv.js';
import type { ConnectionsConfig } from './types.js';

/**
 * Find and parse the connections file and the project's `.env`. No file is not an error
 * (the list is empty): only commands that need a connection complain.
 */
export function loadConnections(options: {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** `cwd` is the project folder already found (e.g. from a pipeline's folder): skip $OSIRIS_HOME. */
  projectFound?: boolean;
}): ConnectionsConfig {
  const processEnv = options.env ?? process.env;
  const cwd = path.resolve(options.cwd);
  const file = findConnectionsFile({
    cwd,
    env: options.projectFound ? { ...processEnv, OSIRIS_HOME: undefined } : processEnv,
  });
  const projectDir = file ? path.dirname(file) : cwd;
  const env = overlay(readDotenv(projectDir), processEnv);
  if (!file) return { projectDir, connections: [], env };

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OsirisError(ErrorCodes.CONNECTIONS_INVALID, `Cannot read ${file}`, {
      details: { file },
      cause: error,
    });
  }
  return { file, projectDir, connections: parseConnectionsFile(text, file), env };
}

/** Process values win over `.env`; variables the process leaves undefined fall back to `.env`. */
function overlay(
  dotenv: Record<string, string>,
  processEnv: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...dotenv };
  for (const [name, value] of Object.entries(processEnv)) if (value !== undefined) merged[name] = value;
  return merged;
}
