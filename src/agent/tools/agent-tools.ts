import type { Tool } from 'ai';
import { toAiTool } from './agent-tool.js';
import { discoverSchemaTool } from './discover-schema.js';
import { listComponentsTool } from './list-components.js';
import { listConnectionsTool } from './list-connections.js';
import { listRunsTool } from './list-runs.js';
import { proposeFixTool } from './propose-fix.js';
import { proposePipelineTool } from './propose-pipeline.js';
import { readRunTool } from './read-run.js';
import { readStepTool } from './read-step.js';
import { runReadonlyQueryTool } from './run-readonly-query.js';
import { sampleTableTool } from './sample-table.js';
import { searchValuesTool } from './search-values.js';
import type { ToolContext } from './tool-context.js';
import { validateOmlTool } from './validate-oml.js';

/** The agent's tools, in the order the model sees them. None of them runs a pipeline. */
export const AGENT_TOOL_NAMES = [
  'list_connections',
  'list_components',
  'discover_schema',
  'sample_table',
  'search_values',
  'run_readonly_query',
  'validate_oml',
  'propose_pipeline',
  'list_runs',
  'read_run',
  'read_step',
  'propose_fix',
] as const;

export function createAgentTools(context: ToolContext): Record<(typeof AGENT_TOOL_NAMES)[number], Tool> {
  return {
    list_connections: toAiTool(listConnectionsTool, context),
    list_components: toAiTool(listComponentsTool, context),
    discover_schema: toAiTool(discoverSchemaTool, context),
    sample_table: toAiTool(sampleTableTool, context),
    search_values: toAiTool(searchValuesTool, context),
    run_readonly_query: toAiTool(runReadonlyQueryTool, context),
    validate_oml: toAiTool(validateOmlTool, context),
    propose_pipeline: toAiTool(proposePipelineTool, context),
    list_runs: toAiTool(listRunsTool, context),
    read_run: toAiTool(readRunTool, context),
    read_step: toAiTool(readStepTool, context),
    propose_fix: toAiTool(proposeFixTool, context),
  };
}
