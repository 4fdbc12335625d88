export {
  type AiopPackageEntry,
  listAiopPackages,
  type PruneAiopOptions,
  pruneAiopPackages,
} from './aiop-packages.js';
export { aiopDirOf } from './aiop-paths.js';
export {
  AIOP_VERSION,
  type AiopCause,
  type AiopCore,
  type AiopError,
  type AiopPackage,
  type AiopStep,
  DEFAULT_MAX_CORE_BYTES,
  type Evidence,
} from './aiop-types.js';
export { type BuildAiopOptions, buildAiop, EVIDENCE_ANNEX, STEPS_ANNEX } from './build-aiop.js';
export { evidenceId } from './collect-evidence.js';
export { diagnoseCause } from './diagnose-cause.js';
export {
  CARD_FILE,
  CORE_FILE,
  type ExportAiopOptions,
  type ExportedAiop,
  exportAiop,
  exportLoadedAiop,
} from './export-aiop.js';
