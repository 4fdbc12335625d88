export {
  createDataPlane,
  DATA_PLANE_FILE,
  type DataPlaneOptions,
  type RunDataPlane,
} from './create-data-plane.js';
export { type DataPlaneLimits, defaultMemoryLimit, resolveDataPlaneLimits } from './data-plane-limits.js';
export { DEFAULT_CHUNK_ROWS, duckdbTypeName } from './read-chunks.js';
export { tableForStep } from './table-name.js';
