import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagesReachableFrom } from './package-closure.js';

describe('packagesReachableFrom', () => {
  it('follows real imports only: not Buffer.from(...), comments or strings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-closure-'));
    await writeFile(
      join(dir, 'entry.js'),
      [
        "import { a } from './local.js';",
        "import 'side-effect-pkg';",
        "export { b } from '@scope/reexported';",
        "const zero = Buffer.from('0000-00-00', 'latin1');",
        "const list = Array.from('abc');",
        "// import 'commented-out';",
        'const text = "import x from \'in-a-string\'";',
        'const computed = await import(zero.toString());',
      ].join('\n'),
    );
    await writeFile(join(dir, 'local.js'), "export const a = await import('dynamic-pkg/sub/path.js');\n");
    expect(await packagesReachableFrom(join(dir, 'entry.js'))).toEqual([
      '@scope/reexported',
      'dynamic-pkg',
      'side-effect-pkg',
    ]);
  });
});
