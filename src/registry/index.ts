export { closestNames, editDistance } from '../util/suggest.js';
export { buildRegistry, withProjectComponents } from './build-registry.js';
export { type ComponentCheck, checkComponentFolder } from './check-component.js';
export { SCAFFOLD_MODES, type ScaffoldMode, scaffoldComponent } from './component-scaffold.js';
export { formatComponentDetails, formatComponentTable } from './component-text.js';
export { applyConfigDefaults } from './config-defaults.js';
export { type ConfigFieldDescription, describeConfigFields, requiredAlternatives } from './config-fields.js';
export { compileConfigSchema, configSchemaValidator } from './config-validator.js';
export {
  type ComponentProblem,
  DRIVER_FILES,
  loadProjectComponents,
  PROJECT_COMPONENTS_FOLDER,
  projectComponentFolders,
  readProjectComponent,
  SPEC_FILE,
} from './project-components.js';
export { guardProjectDriver, importProjectDriver } from './project-driver.js';
export { Registry } from './registry.js';
export { requireComponent } from './require-component.js';
export { componentSpecSchema } from './spec-schema.js';
export { type ComponentSummary, summarizeSpec } from './spec-summary.js';
export { describeAjvError, validateSpec } from './validate-spec.js';
