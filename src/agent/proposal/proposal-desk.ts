import type { ConnectionsConfig } from '../../connections/types.js';
import type { Registry } from '../../registry/registry.js';
import type { AgentState } from '../agent-state.js';
import type { ChatEvent } from '../chat-events.js';
import type { SessionRecord } from '../session/session-types.js';
import { checkOml, diagnosticsForModel } from './check-oml.js';
import { createProposal } from './create-proposal.js';

/** Invalid proposals tolerated per turn: the first gets one directed regeneration, the second ends it. */
const INVALID_PROPOSALS_PER_TURN = 2;

export interface ProposalFailure {
  errors: string[];
}

/** What the model is told after proposing: shown and awaiting the user, or invalid and why. */
export type ProposeResult = ProposalShown | ProposalInvalid;

export type ProposalShown = {
  status: 'awaiting_approval';
  pipeline: string;
  revision: number;
  reads: string[];
  writes: string[];
  warnings?: string[];
  /** A fix: the pipeline file it replaces once approved. */
  replaces?: string;
  instruction: string;
};

export type ProposalInvalid = {
  status: 'invalid';
  /** The validator's errors, each with its position, code and hint. */
  errors: string[];
  instruction: string;
};

/** A proposal that revises an existing pipeline file to fix a failed run. */
export interface FixTarget {
  /** Project-relative file the approved fix replaces. */
  file: string;
  /** The file's OML now: the diff is shown against it. */
  currentOml: string;
  runId: string;
}

export interface ProposalDeskOptions {
  registry: Registry;
  connections: ConnectionsConfig;
  env: Record<string, string | undefined>;
  /** The project folder, for the file-path checks of validation. */
  projectDir?: string;
  session: SessionRecord;
  emit: (event: ChatEvent) => void;
  enterState: (state: AgentState) => void;
}

/**
 * Receives the model's proposals during one turn. A valid one is shown to the user and waits for
 * approval; an invalid one goes back to the model with the validator's errors once; a second
 * invalid one stops the turn and is reported to the user. The desk never runs anything.
 */
export class ProposalDesk {
  #invalid = 0;
  #failure: ProposalFailure | undefined;
  readonly #options: ProposalDeskOptions;
  /** A valid proposal was made in this turn. */
  proposed = false;

  constructor(options: ProposalDeskOptions) {
    this.#options = options;
  }

  /** Set after the second invalid proposal: the agent loop stops and the user is told. */
  get failure(): ProposalFailure | undefined {
    return this.#failure;
  }

  validate(oml: string) {
    const { registry, connections, env, projectDir } = this.#options;
    return checkOml(oml, { registry, connections, env, ...(projectDir ? { projectDir } : {}) });
  }

  /** A fix of the pipeline a failed run used: validated, then shown as a diff against its file. */
  proposeFix(oml: string, summary: string | undefined, target: FixTarget): ProposeResult {
    return this.propose(oml, summary, target);
  }

  propose(oml: string, summary: string | undefined, fix?: FixTarget): ProposeResult {
    const { session, emit, enterState, registry } = this.#options;
    enterState('VALIDATE');
    const check = this.validate(oml);
    const fixProblem =
      fix && check.document ? this.#fixProblem(check.text, check.document.name, fix) : undefined;
    if (!check.document || check.errors.length > 0 || fixProblem) {
      this.#invalid += 1;
      const errors = fixProblem ? [fixProblem] : diagnosticsForModel(check.errors);
      if (this.#invalid >= INVALID_PROPOSALS_PER_TURN) {
        this.#failure = { errors };
        enterState('ERROR');
        return {
          status: 'invalid',
          errors,
          instruction: 'Stop here. The pipeline is still invalid; the errors are shown to the user.',
        };
      }
      enterState('OML_SYNTHESIS');
      return {
        status: 'invalid',
        errors,
        instruction:
          'The pipeline was NOT shown to the user. Fix every error listed (use list_components for the exact ' +
          'config keys and discover_schema for table and column names), then call propose_pipeline once more ' +
          'with the complete corrected OML.',
      };
    }
    const proposal = createProposal({
      check: { ...check, document: check.document },
      registry,
      session,
      ...(summary ? { summary } : {}),
      source: 'model',
    });
    if (fix) {
      proposal.previousOml = fix.currentOml;
      proposal.file = fix.file;
      proposal.fixesRun = fix.runId;
    }
    session.proposal = proposal;
    this.proposed = true;
    this.#invalid = 0;
    enterState('AWAIT_APPROVAL');
    emit({ type: 'proposal', proposal });
    return {
      status: 'awaiting_approval',
      pipeline: proposal.name,
      revision: proposal.revision,
      reads: proposal.reads.map((item) => `${item.connection ?? ''} ${item.target}`.trim()),
      writes: proposal.writes.map((item) => `${item.connection ?? ''} ${item.target}`.trim()),
      ...(check.warnings.length > 0 ? { warnings: diagnosticsForModel(check.warnings) } : {}),
      ...(fix ? { replaces: fix.file } : {}),
      instruction:
        (fix ? `The fix is shown as a diff against ${fix.file}, which it replaces once approved. ` : '') +
        'The pipeline is shown to the user, who must approve it before anything runs; you cannot run it. ' +
        'In one or two sentences say what it does and any assumption you made, then ask the user to approve ' +
        '("approve" / "run it"), reject, or ask for changes.',
    };
  }

  /** A fix must keep the pipeline's name (it replaces that file) and must change something. */
  #fixProblem(text: string, name: string, fix: FixTarget): string | undefined {
    const current = /^name:\s*["']?([^"'\n#]+?)["']?\s*$/m.exec(fix.currentOml)?.[1];
    if (current !== undefined && name !== current)
      return `E_INVALID_OML: a fix keeps the pipeline name '${current}' (it replaces ${fix.file}); this OML is named '${name}'.`;
    if (text.trim() === fix.currentOml.trim())
      return `E_INVALID_OML: the OML is identical to ${fix.file}; change what causes the failure.`;
    return undefined;
  }
}
