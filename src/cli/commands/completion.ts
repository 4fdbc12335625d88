import type { Command } from 'commander';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { action } from '../output.js';

const SCRIPTS: Record<string, string> = {
  bash: `# osiris completion for bash. Load it now:   source <(osiris completion bash)
# or for every shell:                         osiris completion bash > ~/.local/share/bash-completion/completions/osiris
_osiris_complete() {
  local IFS=$'\\n'
  local candidates
  candidates=$(osiris __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "\${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _osiris_complete osiris
`,
  zsh: `#compdef osiris
# osiris completion for zsh. Load it now:   source <(osiris completion zsh)
# or for every shell: osiris completion zsh > "\${fpath[1]}/_osiris"
_osiris() {
  local -a candidates
  candidates=("\${(@f)$(osiris __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
if (( $+functions[compdef] )); then compdef _osiris osiris; fi
`,
  fish: `# osiris completion for fish. Load it now:   osiris completion fish | source
# or for every shell:                         osiris completion fish > ~/.config/fish/completions/osiris.fish
function __osiris_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    osiris __complete -- $tokens (commandline -ct) 2>/dev/null
end
complete -c osiris -f -a '(__osiris_complete)'
`,
};

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description(
      'Print a shell completion script: commands, options, pipeline files, step ids, @connections.',
    )
    .argument('<shell>', 'bash | zsh | fish')
    .addHelpText(
      'after',
      `
Completes commands and options, pipeline files for run/validate/compile, step ids after
--select/--from, @family.alias names from osiris_connections.yaml, and recent run ids.

Examples:
  $ source <(osiris completion bash)            # add to ~/.bashrc to keep it
  $ osiris completion zsh > "\${fpath[1]}/_osiris"
  $ osiris completion fish > ~/.config/fish/completions/osiris.fish`,
    )
    .action(
      action(async (shell: string) => {
        const script = SCRIPTS[shell];
        if (!script) {
          throw new OsirisError(ErrorCodes.USAGE, `No completion for shell '${shell}'.`, {
            hint: 'Use one of: osiris completion bash | zsh | fish',
          });
        }
        process.stdout.write(script);
        return 0;
      }),
    );

  // What the scripts call: the candidates for the last word, one per line.
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .allowUnknownOption()
    .action(async (words: string[]) => {
      const { completeWords } = await import('../complete.js');
      const candidates = await completeWords(program, words.length > 0 ? words : [''], process.cwd());
      process.stdout.write(candidates.length > 0 ? `${candidates.join('\n')}\n` : '');
    });
}
