/**
 * Orchestration overhead of the chat agent per turn, outside the model's own latency: the fake
 * LLM server plays the "find director Ava DuVernay" turn (4 model calls, 3 tools on the demo
 * DuckDB) through the real OpenAI client, over and over. Run with:
 *
 *   npx tsx bench/agent.ts [--turns 20] [--protocol openai|anthropic]
 *
 * Per turn: wall time, the model calls' latency (request → end of stream, tools excluded), tool
 * time, and overhead = wall − model latency (tools + prompt building + persistence + streaming
 * plumbing). The target is under 2 s per turn. Figures to compare, not assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openChat } from '../src/agent/open-chat.js';
import type { AgentSettings } from '../src/agent/provider/agent-settings.js';
import { loadScenario, startFakeLlmServer } from '../src/agent/testing/index.js';
import { createDemoProject } from '../src/demo/create-demo.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const TARGET_MS = 2000;
const { values } = parseArgs({
  options: { turns: { type: 'string', default: '20' }, protocol: { type: 'string', default: 'openai' } },
});
const turns = Number(values.turns);
const protocol = values.protocol === 'anthropic' ? 'anthropic' : 'openai';

const scenario = await loadScenario(
  path.join(import.meta.dirname, '../test/scenarios/agent-find-ava-duvernay.yaml'),
);
// One extra turn warms up module loading, DuckDB and the discovery cache; it is not measured.
const steps = Array.from({ length: turns + 1 }, () => scenario.steps).flat();
const server = await startFakeLlmServer({ scenario: { ...scenario, steps } });
const projectDir = await mkdtemp(path.join(tmpdir(), 'osiris-bench-agent-'));
await createDemoProject(projectDir);

const settings: AgentSettings = {
  primary:
    protocol === 'openai'
      ? {
          provider: 'openai',
          label: 'openai',
          model: 'gpt-4o-mini',
          baseUrl: server.openaiBaseUrl,
          keyVariable: 'OPENAI_API_KEY',
        }
      : {
          provider: 'anthropic',
          label: 'anthropic',
          model: 'claude-sonnet-4-5',
          baseUrl: server.anthropicBaseUrl,
          keyVariable: 'ANTHROPIC_API_KEY',
        },
  maxSteps: 12,
  maxRetries: 0,
  source: 'flags',
  warnings: [],
};
const chat = await openChat({
  cwd: projectDir,
  env: { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-bench', ANTHROPIC_API_KEY: 'sk-bench' },
  settings,
});

const rows: { wall: number; model: number; tools: number; overhead: number; agentOnly: number }[] = [];
try {
  for (let turn = 0; turn <= turns; turn += 1) {
    const result = await chat.agent.send('Find Director Ava DuVernay');
    if (result.error) throw new Error(`turn ${turn} failed: ${result.error.message}`);
    if (turn === 0) continue;
    const { durationMs, modelMs, toolMs, overheadMs } = result.timing;
    rows.push({
      wall: durationMs,
      model: modelMs,
      tools: toolMs,
      overhead: overheadMs,
      agentOnly: overheadMs - toolMs,
    });
  }
} finally {
  chat.close();
  await server.close();
  await rm(projectDir, { recursive: true, force: true });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
};
const column = (key: keyof (typeof rows)[number]) => rows.map((row) => row[key]);

console.log(
  `chat agent, ${turns} turns of "find director Ava DuVernay" (4 model calls, 3 tools), ${protocol} protocol`,
);
console.log('                      median     p95');
for (const [label, key] of [
  ['wall time', 'wall'],
  ['model latency', 'model'],
  ['tools (DuckDB)', 'tools'],
  ['overhead (wall-model)', 'overhead'],
  ['agent only (no tools)', 'agentOnly'],
] as const) {
  console.log(
    `${label.padEnd(22)}${`${median(column(key))} ms`.padStart(7)}${`${p95(column(key))} ms`.padStart(9)}`,
  );
}
const verdict = p95(column('overhead')) < TARGET_MS ? 'within' : 'OVER';
console.log(`overhead p95 is ${verdict} the ${TARGET_MS} ms per-turn target`);
