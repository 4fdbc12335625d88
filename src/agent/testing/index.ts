export { type FakeLlmServer, type FakeLlmServerOptions, startFakeLlmServer } from './fake-llm-server.js';
export { loadScenario, parseScenarioText } from './load-scenario.js';
export type { ModelCall, ModelCallMessage, ModelCallToolResult, ProtocolName } from './model-call.js';
export { parseScenario } from './parse-scenario.js';
export type { RecordedRequest } from './recorded-request.js';
export type {
  Scenario,
  ScenarioStep,
  ScriptedToolCall,
  StepExpectation,
  StepResponse,
  ValidScenario,
  ValidScenarioStep,
} from './scenario.js';
