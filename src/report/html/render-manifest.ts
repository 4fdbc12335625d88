import type { RunDetails } from '../../observability/logs/run-details.js';
import { html, type SafeHtml } from './safe-html.js';

export function renderManifest(run: RunDetails): SafeHtml {
  const fingerprints = Object.entries(run.fingerprints ?? {});
  if (fingerprints.length === 0 && run.manifestFp) fingerprints.push(['manifest_fp', run.manifestFp]);
  const compiler = run.manifest?.value?.compiler;
  return html`<div class="manifest">
${
  fingerprints.length > 0
    ? html`<dl class="fp">${fingerprints.map(([name, value]) => html`<dt>${name}</dt><dd>${String(value)}</dd>`)}${
        compiler ? html`<dt>compiler</dt><dd>${compiler.name} ${compiler.version}</dd>` : ''
      }</dl>`
    : ''
}
${run.manifest ? html`<pre class="code" data-testid="manifest">${run.manifest.text}</pre>` : html`<p class="muted">No manifest was recorded.</p>`}
</div>`;
}
