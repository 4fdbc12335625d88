import type { RunEvent, RunStatusFile } from '../spec/events.js';
import type { AgentState } from './agent-state.js';
import type { Proposal } from './session/session-types.js';

/** What a finished pipeline run produced, as the chat shows it. */
export interface RunSummary {
  pipeline: string;
  /** The OML file, relative to the project folder (`pipelines/x.yaml`). */
  file: string;
  status: RunStatusFile['status'];
  runId: string;
  totalRows: number;
  durationMs: number;
  steps: { id: string; status: string; rows: number }[];
  /** Files and tables written, with the rows each step wrote. */
  outputs: { stepId: string; target: string; rows: number }[];
  /** The HTML report, when it could be written. */
  reportPath?: string;
  error?: { code: string; message: string; hint?: string; stepId?: string };
  sessionDir: string;
}

/**
 * Everything a chat turn shows, in order. The agent emits these; a renderer (terminal, JSON,
 * test collector) decides how they look. Nothing here holds a secret.
 */
export type ChatEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'text-end' }
  | { type: 'tool-start'; id: string; tool: string; label: string }
  | {
      type: 'tool-end';
      id: string;
      tool: string;
      label: string;
      summary: string;
      ok: boolean;
      durationMs: number;
    }
  | { type: 'state'; from: AgentState; to: AgentState }
  | { type: 'proposal'; proposal: Proposal }
  | { type: 'notice'; level: 'info' | 'success' | 'warning' | 'error'; text: string; hint?: string }
  | { type: 'run-event'; event: RunEvent }
  | { type: 'run-progress'; stepId: string; rows: number }
  | { type: 'run-summary'; summary: RunSummary };

export type ChatEventListener = (event: ChatEvent) => void;
