import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** What `osiris chat` prints when no model is configured: every way to configure one. */
export function providerSetupText(projectDir: string): string {
  return `Configure one of these, then send your message again (or say "retry"):

  OpenAI        export OPENAI_API_KEY=sk-...
  Anthropic     export ANTHROPIC_API_KEY=sk-ant-...       (CLAUDE_API_KEY works too)
  Google        export GOOGLE_GENERATIVE_AI_API_KEY=...   (GEMINI_API_KEY works too)

  Local Ollama (no key, nothing leaves your machine):
                ollama pull llama3.1 && ollama serve
                osiris chat --provider ollama --model llama3.1
                (--base-url defaults to http://localhost:11434/v1)

  Any OpenAI-compatible server (vLLM, LM Studio, OpenRouter, a gateway):
                osiris chat --provider openai-compatible --base-url http://host:port/v1 --model NAME
                (key, if the server needs one: export OSIRIS_LLM_API_KEY=...)

Or make it the project default in ${projectDir}/osiris.yaml:

  agent:
    provider: openai          # openai | anthropic | google | ollama | lmstudio | vllm | openrouter | openai-compatible
    model: gpt-4o-mini
    # base_url: http://localhost:11434/v1
    # fallback: { provider: anthropic, model: claude-sonnet-4-5 }

Keys are read from the environment or the project's .env file, never from osiris.yaml.
Without a model you can still build a pipeline from SQL:  osiris chat "SQL: SELECT ..."`;
}

export function providerNotConfiguredError(projectDir: string): OsirisError {
  return new OsirisError(
    ErrorCodes.PROVIDER_NOT_CONFIGURED,
    'No LLM provider is configured, so Osiris cannot talk to a model yet.',
    {
      hint: providerSetupText(projectDir),
    },
  );
}
