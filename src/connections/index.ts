export { closestMatch } from './closest-match.js';
export { connectionMetadata, summarizeConnection } from './connection-metadata.js';
export {
  ALIAS_NAME_PATTERN,
  FAMILY_NAME_PATTERN,
  formatConnectionRef,
  parseConnectionRef,
} from './connection-ref.js';
export { connectionSecretValues } from './connection-secret-values.js';
export { connectionVariables, type VariableStatus } from './connection-variables.js';
export {
  type ConnectivityResult,
  type DoctorOptions,
  type DoctorProbe,
  type DoctorProbeContext,
  type DoctorProbeResult,
  type DoctorProblem,
  type DoctorReport,
  type DoctorResult,
  type DoctorStatus,
  runConnectionsDoctor,
} from './doctor.js';
export { type EnvTemplate, expandTemplates, findTemplates } from './env-template.js';
export { CONNECTIONS_FILE_NAME, findConnectionsFile } from './find-connections-file.js';
export { loadConnections } from './load-connections.js';
export { maskSecretFields, SECRET_MASK } from './mask-secret-fields.js';
export { EXPECTED_SHAPE, parseConnectionsFile } from './parse-connections-file.js';
export { readDotenv } from './read-dotenv.js';
export {
  collectSecretValues,
  findMissingVariables,
  type MissingVariable,
  resolveConnection,
} from './resolve-connection.js';
export { isSecretField, secretNamesFromSpecs } from './secret-fields.js';
export { selectConnection } from './select-connection.js';
export type { ConnectionsConfig, RawConnection } from './types.js';
