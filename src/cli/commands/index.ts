import type { Command } from 'commander';

/** Every command module registers itself here; order is the order `osiris --help` lists them. */
const registrations: Array<(program: Command) => void> = [];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
