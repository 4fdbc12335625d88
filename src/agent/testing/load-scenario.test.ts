import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, parseScenarioText } from './load-scenario.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'osiris-scenario-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function scenarioFile(name: string, text: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
}

describe('loadScenario', () => {
  it('loads a scenario and applies defaults', async () => {
    const path = await scenarioFile(
      'ok.yaml',
      ['name: ok', 'steps:', '  - respond:', '      toolCalls:', '        - name: list_connections', ''].join(
        '\n',
      ),
    );
    const scenario = await loadScenario(path);
    expect(scenario).toEqual({
      name: 'ok',
      steps: [{ respond: { toolCalls: [{ name: 'list_connections', arguments: {} }] } }],
    });
  });

  it('accepts a bare list of steps', () => {
    expect(parseScenarioText('- respond: { text: hi }\n', 'list.yaml').steps).toHaveLength(1);
  });

  it('names a missing file', async () => {
    await expect(loadScenario(join(folder, 'nope.yaml'))).rejects.toMatchObject({
      code: 'E_FILE_NOT_FOUND',
      message: expect.stringContaining('nope.yaml'),
    });
  });

  it('points at the line of broken YAML', () => {
    expect(() => parseScenarioText('name: a\nname: b\nsteps: []\n', 'broken.yaml')).toThrow(
      /Invalid YAML in scenario broken\.yaml:2:1: Map keys must be unique/,
    );
  });

  it('lists every problem with its path, line and column', () => {
    const text = [
      'steps:', // 1
      '  - expect:', // 2
      '      lastUserMesageContains: Ava', // 3
      '    respond:', // 4
      '      text: hi', // 5
      '  - respond:', // 6
      '      error: { status: 200, message: nope }', // 7
      '  - respond: {}', // 8
    ].join('\n');
    let message = '';
    try {
      parseScenarioText(text, 'bad.yaml');
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_USAGE' });
      message = (error as Error).message;
    }
    expect(message).toContain('bad.yaml:3:7: steps[0].expect: Unrecognized key: "lastUserMesageContains"');
    expect(message).toContain('bad.yaml:7:24: steps[1].respond.error.status: Too small');
    expect(message).toContain(
      'bad.yaml:8:14: steps[2].respond: a response needs "text", "toolCalls" or "error"',
    );
  });

  it('refuses a template variable that no step captures', () => {
    const text = [
      'steps:',
      '  - respond: { toolCalls: [{ name: t, arguments: { id: "{{film_id}}" } }] }',
      '  - capture: { film_id: "id=(\\\\d+)" }',
      '    respond: { text: "{{film_id}} {{tool_result.t}}" }',
    ].join('\n');
    expect(() => parseScenarioText(text, 'vars.yaml')).toThrow(
      /steps\[0\]\.respond\.toolCalls\[0\]\.arguments\.id: \{\{film_id\}\} is not captured by this step or an earlier one/,
    );
  });

  it('refuses an invalid capture pattern', () => {
    const text = 'steps:\n  - capture: { id: "(unclosed" }\n    respond: { text: "{{id}}" }\n';
    expect(() => parseScenarioText(text, 'regex.yaml')).toThrow(
      /steps\[0\]\.capture\.id: invalid regular expression/,
    );
  });
});
