import type { OsirisTool } from '../osiris-tool.js';
import { componentShowTool } from './component-show.js';
import { componentsListTool } from './components-list.js';
import { connectionsDoctorTool } from './connections-doctor.js';
import { connectionsListTool } from './connections-list.js';
import { discoveryRequestTool } from './discovery-request.js';
import { omlSaveTool } from './oml-save.js';
import { omlSchemaGetTool } from './oml-schema-get.js';
import { omlValidateTool } from './oml-validate.js';
import { pipelineCompileTool } from './pipeline-compile.js';
import { pipelineRunTool } from './pipeline-run.js';
import { runAiopTool } from './run-aiop.js';
import { runShowTool } from './run-show.js';
import { runsListTool } from './runs-list.js';

/** Every tool the server offers, in the order a model would use them. */
export const osirisTools: readonly OsirisTool[] = [
  connectionsListTool,
  connectionsDoctorTool,
  componentsListTool,
  componentShowTool,
  discoveryRequestTool,
  omlSchemaGetTool,
  omlValidateTool,
  omlSaveTool,
  pipelineCompileTool,
  pipelineRunTool,
  runsListTool,
  runShowTool,
  runAiopTool,
];
