import { Command, CommanderError } from 'commander';
import { ExitCodes } from '../spec/errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands/index.js';
import { makeTerminalOutputBestEffort, printError } from './output.js';

/**
 * Entry point. Command modules are small and import their library code lazily inside
 * their actions, so `osiris --version` loads neither DuckDB, database drivers nor LLM SDKs.
 */
export async function main(argv: string[]): Promise<number> {
  makeTerminalOutputBestEffort();
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    const { versionText } = await import('./version-text.js');
    process.stdout.write(`${versionText()}\n`);
    return ExitCodes.OK;
  }
  const program = new Command('osiris')
    .description(
      'LLM-first conversational ETL: describe the outcome, approve the pipeline, run it with identical ' +
        'results locally or in a sandbox, and read the report.',
    )
    .version(VERSION, '-V, --version', 'print the versions of Osiris, Node.js and DuckDB')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText(
      'after',
      `
Quick start:
  $ osiris demo                      create and run the bundled movies demo (no server, no API key)
  $ osiris init my-project           scaffold a project folder
  $ osiris validate pipelines/x.yaml check an OML pipeline
  $ osiris run pipelines/x.yaml      compile and run it, then: osiris logs html --last --open

Exit codes: 0 ok, 1 internal error, 2 invalid input, 3 a step failed, 130 interrupted.`,
    );
  registerCommands(program);

  try {
    await program.parseAsync(argv);
    const code = typeof process.exitCode === 'number' ? process.exitCode : ExitCodes.OK;
    // A project component's driver that was stopped at its time limit may still hold timers or
    // sockets; the command is done, so they must not keep the process alive (the timer is unref'd:
    // a process with nothing else left exits at once, as usual).
    if ((globalThis as Record<symbol, unknown>)[Symbol.for('osiris.abandoned-drivers')]) {
      // 500 ms lets stdout/stderr flush the command's last lines before the forced exit.
      setTimeout(() => process.exit(code), 500).unref();
    }
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      if (error.exitCode === 0) return ExitCodes.OK;
      return ExitCodes.INVALID_INPUT;
    }
    return printError(error);
  }
}
