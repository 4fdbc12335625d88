import { describe, expect, it } from 'vitest';
import { classifyApproval } from './approval-intent.js';

describe('classifyApproval', () => {
  it.each([
    'approve',
    'Approved.',
    'looks good',
    'Looks good!',
    'LGTM',
    'run it',
    'Perfect, run it!',
    'yes',
    'y',
    'ok, run it please',
    'go ahead',
    'ship it',
    'sounds good, thanks',
  ])('"%s" approves', (message) => {
    expect(classifyApproval(message)).toBe('approve');
  });

  it.each(['reject', 'cancel', 'no', 'n', 'Nope.', "don't run it", 'never mind', 'discard'])(
    '"%s" rejects',
    (message) => {
      expect(classifyApproval(message)).toBe('reject');
    },
  );

  it.each([
    'looks good but write Parquet',
    'no, use the reviews table',
    'yes, and add the genre',
    'run it against postgres instead',
    'approve after adding a limit',
    '',
    'please',
  ])('"%s" is feedback for the model, not a decision', (message) => {
    expect(classifyApproval(message)).toBe('other');
  });

  // A question is not consent: each of these is answered by the model, and nothing runs.
  it.each([
    'looks good?',
    'Looks good?',
    'approve?',
    'Approve ?',
    'run it?',
    'yes?',
    'y?',
    'ok?',
    'LGTM?',
    'go ahead?',
    'looks good?!',
    'Looks good? Run it',
    'ship it？',
    '¿approve',
    'no?',
    'cancel?',
    'what does it write?',
    'maybe',
    'Maybe, run it',
    'yes maybe',
    'perhaps',
    'probably',
    'probably fine, run it',
    'possibly',
    'I think so',
    'yes, I think so',
    'looks good I think',
    'I guess',
    'I guess so, go ahead',
    'I suppose so',
    'I believe so',
    'not sure',
    "I'm not sure",
    'unsure',
    "I don't know",
    'dunno',
    'idk',
    'kind of',
    'sort of ok',
    'not yet',
    'wait',
    'hold on',
    'hmm',
    'hmm, ok',
    'let me think',
    'depends',
    'run it if the table is small',
    'yes unless it overwrites something',
    'should we',
    'should we run it',
    'shall we',
    'can you explain',
    'can you explain the join',
    'could you run it',
    'would it overwrite anything',
    'is it safe',
    'does it overwrite',
    'explain it',
    'why',
    'how many rows',
    'which table',
    'where does it write',
    'it might be ok',
    'it may be fine',
  ])('"%s" is a question or a hedge, never a decision', (message) => {
    expect(classifyApproval(message)).toBe('question');
  });
});
