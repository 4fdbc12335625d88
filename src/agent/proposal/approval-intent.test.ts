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
    'what does it write?',
    'approve after adding a limit',
    '',
    'please',
  ])('"%s" is feedback for the model, not a decision', (message) => {
    expect(classifyApproval(message)).toBe('other');
  });
});
