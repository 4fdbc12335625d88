import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimateText, RunProgress } from './progress.js';

/** A terminal that keeps what was written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text(): string } {
  let written = '';
  const stream = {
    isTTY: true,
    write(chunk: string) {
      written += chunk;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => written };
}

describe('RunProgress on a terminal', () => {
  const saved = { CI: process.env.CI, TERM: process.env.TERM };
  beforeEach(() => {
    delete process.env.CI;
    process.env.TERM = 'xterm';
  });
  afterEach(() => {
    if (saved.CI === undefined) delete process.env.CI;
    else process.env.CI = saved.CI;
    process.env.TERM = saved.TERM;
  });

  it('shows rows and, when the source knows its total, the percent done', () => {
    const terminal = fakeTerminal();
    const progress = new RunProgress(terminal.stream);
    progress.event({ ts: '', run_id: 'r', event: 'step_start', step_id: 'load', component: 'x' });
    progress.progress('load', 50, 200);
    expect(terminal.text()).toContain('load  50 rows of 200 (25%');
    progress.event({ ts: '', run_id: 'r', event: 'step_start', step_id: 'read', component: 'x' });
    progress.progress('read', 7);
    expect(terminal.text()).toMatch(/read {2}7 rows {2}/);
    progress.stop();
  });

  it('shows a step stopped by another step as stopped, not as a second failure', () => {
    const terminal = fakeTerminal();
    const progress = new RunProgress(terminal.stream);
    progress.event({
      ts: '',
      run_id: 'r',
      event: 'step_failed',
      step_id: 'read',
      error_code: 'E_SOURCE_READ_FAILED',
      message: 'bad value',
    });
    progress.event({
      ts: '',
      run_id: 'r',
      event: 'step_failed',
      step_id: 'write',
      error_code: 'E_CANCELLED',
      message: 'Stopped: step read failed.',
    });
    // Colours are on or off with the environment (CI turns them on): compare the plain text.
    const text = stripVTControlCharacters(terminal.text());
    expect(text).toMatch(/✖ read {2}E_SOURCE_READ_FAILED bad value/);
    expect(text).toMatch(/■ write {2}Stopped: step read failed\./);
    expect(text).not.toMatch(/✖ write/);
    progress.stop();
  });

  it('never keeps the process alive on its own, so a stalled run is still detected', () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const progress = new RunProgress(fakeTerminal().stream);
    progress.start();
    expect(timers()).toBe(before);
    progress.stop();
  });
});

describe('estimateText', () => {
  it('gives percent and time left from the rate', () => {
    expect(estimateText({ rows: 300, totalRows: 1200 }, 100)).toBe(' of 1,200 (25%, 9.0 s left)');
    expect(estimateText({ rows: 1200, totalRows: 1200 }, 100)).toBe(' of 1,200 (100%)');
    expect(estimateText({ rows: 0, totalRows: 10 }, 0)).toBe(' of 10 (0%)');
    expect(estimateText({ rows: 5 }, 10)).toBe('');
  });
});
