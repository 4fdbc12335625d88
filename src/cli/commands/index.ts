import type { Command } from 'commander';
import { registerChat } from './chat.js';
import { registerCompile } from './compile.js';
import { registerCompletion } from './completion.js';
import { registerComponents } from './components.js';
import { registerConnections } from './connections.js';
import { registerCopy } from './copy.js';
import { registerDemo } from './demo.js';
import { registerDiscover } from './discover.js';
import { registerInit } from './init.js';
import { registerLogs } from './logs.js';
import { registerMcp } from './mcp.js';
import { registerPrompts } from './prompts.js';
import { registerRun } from './run.js';
import { registerState } from './state.js';
import { registerValidate } from './validate.js';

/** Every command module registers itself here; order is the order `osiris --help` lists them. */
const registrations: Array<(program: Command) => void> = [
  registerComponents,
  registerDemo,
  registerInit,
  registerValidate,
  registerCompile,
  registerRun,
  registerState,
  registerCopy,
  registerLogs,
  registerConnections,
  registerDiscover,
  registerMcp,
  registerChat,
  registerPrompts,
  registerCompletion,
];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
