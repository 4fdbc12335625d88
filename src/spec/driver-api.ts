/**
 * The driver API: what a component author imports from `osiris-etl/driver`. A project component
 * (`components/<family>.<kind>/spec.yaml` + `driver.js`) implements `Driver` and declares in its
 * spec the `api_version` it was written for.
 *
 * Compatibility rule: the API version is one integer that changes only when a change would break
 * existing drivers (a removed or renamed member of `DriverRunInput`, `StepContext`, `DataPlane` or
 * `DriverResult`, a changed meaning). Additions do not change it. Osiris runs a component whose
 * `api_version` is in `SUPPORTED_DRIVER_API_VERSIONS`; any other fails with
 * E_COMPONENT_API_VERSION before its driver is loaded.
 */
export const DRIVER_API_VERSION = 1;
export const SUPPORTED_DRIVER_API_VERSIONS: readonly number[] = [1];

export type { ComponentSpec } from './component.js';
export type { ResolvedConnection } from './connection.js';
export type {
  ColumnInfo,
  DataPlane,
  Driver,
  DriverResult,
  DriverRunInput,
  OutputStream,
  StepContext,
  StepInput,
  StepLogger,
} from './driver.js';
export { CancelledError, ErrorCodes, isOsirisError, OsirisError } from './errors.js';
