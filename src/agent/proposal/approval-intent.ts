export type ApprovalIntent = 'approve' | 'reject' | 'other';

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
 * use Parquet") goes to the model as feedback. Code reads the decision, never the model.
 */
export function classifyApproval(message: string): ApprovalIntent {
  const normalized = message
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (normalized.length === 0) return 'other';
  const clauses = splitClauses(normalized);
  const kinds = clauses.map(classifyClause);
  if (kinds.length === 0) return 'other';
  if (kinds.every((kind) => kind === 'reject')) return 'reject';
  if (kinds.every((kind) => kind === 'approve')) return 'approve';
  // Mixed ("yes, but…", "no, use Parquet"): the model reads it as feedback.
  return 'other';
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
