import type { Diagnostic } from '../../spec/diagnostics.js';
import type { AgentState } from '../agent-state.js';

/** One thing a pipeline reads or writes, as the approval prompt shows it. */
export interface DataFlowItem {
  stepId: string;
  component: string;
  /** `@mysql.movies` for database steps; absent for files. */
  connection?: string;
  /** What is read or written: a table, a query (shortened), or a file path. */
  target: string;
}

/** A pipeline the agent proposed, waiting for (or past) the user's decision. */
export interface Proposal {
  /** The OML `name`, also the file name under pipelines/. */
  name: string;
  oml: string;
  /** The OML this one revises, for the diff shown with it. */
  previousOml?: string;
  /** One or two sentences from the model (or SQL mode) on what the pipeline does. */
  summary?: string;
  reads: DataFlowItem[];
  writes: DataFlowItem[];
  /** Validator warnings (errors never reach a proposal). */
  warnings: Diagnostic[];
  source: 'model' | 'sql';
  /** A fix of an existing pipeline: the file it replaces once approved (`pipelines/orders.yaml`). */
  file?: string;
  /** The failed run the fix answers. */
  fixesRun?: string;
  status: 'pending' | 'approved' | 'rejected';
  /** 1 for the first proposal of a session, counting up with every revision. */
  revision: number;
  createdAt: string;
}

/** Tables the agent discovered, kept so a resumed session still knows the schema. */
export interface DiscoveredTable {
  name: string;
  columns: string[];
  /** The discovered primary key, for the checks a proposal gets (unique, not null). */
  primaryKey?: string[];
  rowEstimate?: number;
}

export interface DiscoveredContext {
  connections: Record<string, { tables: DiscoveredTable[]; discoveredAt: string }>;
}

/** The last pipeline run from this session. */
export interface SessionRun {
  pipeline: string;
  file: string;
  runId?: string;
  status: string;
  totalRows?: number;
}

export interface SessionRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** The first user message, shortened: how `osiris chat sessions` names it. */
  title: string;
  state: AgentState;
  context: DiscoveredContext;
  proposal?: Proposal;
  lastRun?: SessionRun;
  /** The previous turn failed before the model answered; "retry" sends it again. */
  interruptedTurn?: boolean;
}

export type SessionEventKind = 'state' | 'approval' | 'metric' | 'tool' | 'error' | 'run' | 'notice';

export interface SessionEvent {
  seq: number;
  ts: string;
  kind: SessionEventKind;
  data: Record<string, unknown>;
}

export interface SessionSummary {
  id: string;
  title: string;
  state: AgentState;
  createdAt: string;
  updatedAt: string;
  messages: number;
  inputTokens: number;
  outputTokens: number;
  pendingPipeline?: string;
}
