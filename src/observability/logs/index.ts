export { BUNDLE_NOTE, type BundleResult, bundleRun } from './bundle-run.js';
export {
  CRASHED_HINT,
  markCrashedRuns,
  type RemovedLeftovers,
  removeCrashedRunLeftovers,
} from './crashed-runs.js';
export { type FoundRun, findRun, type RunSelector, sessionDirOf } from './find-run.js';
export { DEFAULT_LIST_LIMIT, listRuns } from './list-runs.js';
export { loadRunDetails } from './load-run-details.js';
export { type OpenResult, openInBrowser } from './open-in-browser.js';
export { parseAge, parseRelativeDuration, parseSince } from './parse-time-window.js';
export { type CleanupCriteria, type CleanupPlan, planRunCleanup } from './plan-run-cleanup.js';
export { type ProjectRedaction, projectRedaction } from './project-redaction.js';
export { allRuns, removeRuns, runsBytes } from './remove-runs.js';
export type {
  ArtifactDetails,
  OutputDetails,
  RunDetails,
  RunErrorDetails,
  StepDetails,
  StepStatus,
} from './run-details.js';
export { reportsDirOf, runIndexPathOf, runsDirOf } from './runs-paths.js';
export { withRunIndex } from './with-run-index.js';
