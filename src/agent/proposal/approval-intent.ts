/**
 * `question`: the message asks or hedges ("looks good?", "approve?", "maybe", "I think so"). It is
 * answered by the model and never decides anything: a question is not consent.
 */
export type ApprovalIntent = 'approve' | 'reject' | 'question' | 'other';

const APPROVE_PHRASES = [
  'approve',
  'approved',
  'i approve',
  'looks good',
  'look good',
  'lgtm',
  'run it',
  'run',
  'go',
  'go ahead',
  'do it',
  'ship it',
  'execute',
  'execute it',
  'yes',
  'y',
  'yep',
  'yeah',
  'ok',
  'okay',
  'sounds good',
  'perfect',
  'great',
];

const REJECT_PHRASES = [
  'reject',
  'rejected',
  'cancel',
  'discard',
  'no',
  'n',
  'nope',
  'stop',
  'abort',
  'never mind',
  'nevermind',
  'forget it',
  'dont run it',
  'do not run it',
  'drop it',
];

/**
 * Words and phrases that make a message tentative or a request for more, whatever else it says.
 * Matched as whole words anywhere in the message.
 */
const HEDGES = [
  'maybe',
  'perhaps',
  'probably',
  'possibly',
  'presumably',
  'might',
  'may be',
  'i think',
  'i guess',
  'i suppose',
  'i believe',
  'i wonder',
  'guess so',
  'think so',
  'not sure',
  'unsure',
  'dont know',
  'do not know',
  'dunno',
  'idk',
  'kind of',
  'kinda',
  'sort of',
  'sorta',
  'not yet',
  'wait',
  'hold on',
  'hang on',
  'hmm',
  'hm',
  'let me think',
  'let me check',
  'depends',
  'if',
  'unless',
  'should we',
  'should i',
  'should it',
  'shall we',
  'can you',
  'could you',
  'would you',
  'will you',
  'can we',
  'could we',
  'would it',
  'will it',
  'does it',
  'is it',
  'is that',
  'explain',
  'what',
  'why',
  'how',
  'which',
  'where',
  'when',
  'who',
];

/** Question marks in the scripts users are likely to type (ASCII, full-width, Spanish, Arabic). */
const QUESTION_MARK = /[?？¿؟]/;

/** Words that only add politeness or emphasis around a decision. */
const FILLER = new Set([
  'please',
  'thanks',
  'thank',
  'you',
  'now',
  'then',
  'just',
  'it',
  'that',
  'this',
  'pipeline',
  'and',
  'so',
  'all',
  'the',
]);

/**
 * Whether a message decides a pending proposal. Only a message that is nothing but a decision
 * counts ("Perfect, run it!", "approve", "cancel"); anything with more in it ("looks good but
 * use Parquet") goes to the model as feedback. A question or a hedge ("looks good?", "approve?",
 * "maybe", "I think so") is never a decision. Code reads the decision, never the model.
 */
export function classifyApproval(message: string): ApprovalIntent {
  const normalized = message
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (QUESTION_MARK.test(message)) return 'question';
  if (normalized.length === 0) return 'other';
  if (hedges(normalized)) return 'question';
  const clauses = splitClauses(normalized);
  const kinds = clauses.map(classifyClause);
  if (kinds.length === 0) return 'other';
  if (kinds.every((kind) => kind === 'reject')) return 'reject';
  if (kinds.every((kind) => kind === 'approve')) return 'approve';
  // Mixed ("yes, but…", "no, use Parquet"): the model reads it as feedback.
  return 'other';
}

function hedges(normalized: string): boolean {
  const padded = ` ${normalized} `;
  return HEDGES.some((hedge) => padded.includes(` ${hedge} `));
}

function splitClauses(text: string): string[] {
  // "perfect run it" → try the longest known phrases first, leaving filler.
  const words = text.split(' ');
  const clauses: string[] = [];
  let index = 0;
  while (index < words.length) {
    let matched = 0;
    for (let length = Math.min(4, words.length - index); length > 0; length -= 1) {
      const candidate = words.slice(index, index + length).join(' ');
      if (APPROVE_PHRASES.includes(candidate) || REJECT_PHRASES.includes(candidate)) {
        clauses.push(candidate);
        matched = length;
        break;
      }
    }
    if (matched === 0) {
      const word = words[index]!;
      if (!FILLER.has(word)) clauses.push(word);
      matched = 1;
    }
    index += matched;
  }
  return clauses;
}

function classifyClause(clause: string): ApprovalIntent {
  if (REJECT_PHRASES.includes(clause)) return 'reject';
  if (APPROVE_PHRASES.includes(clause)) return 'approve';
  return 'other';
}
