import type { ResolvedConnection } from '../spec/connection.js';

export interface DoctorProbeResult {
  serverVersion: string;
  latencyMs: number;
}

export interface DoctorProbeContext {
  /** Relative file paths in connection fields are relative to this folder. */
  projectDir: string;
}

/**
 * A connectivity check for one family: connect, run a trivial query, report the server
 * version. Throws an OsirisError (E_CONNECTION_FAILED / E_AUTH_FAILED) when it cannot.
 */
export type DoctorProbe = (
  connection: ResolvedConnection,
  signal: AbortSignal,
  context: DoctorProbeContext,
) => Promise<DoctorProbeResult>;
