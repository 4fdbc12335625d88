export {
  createDataPlane,
  DATA_PLANE_FILE,
  type DataPlaneOptions,
  type RunDataPlane,
} from './create-data-plane.js';
export { DEFAULT_CHUNK_ROWS, duckdbTypeName } from './read-chunks.js';
export { tableForStep } from './table-name.js';
