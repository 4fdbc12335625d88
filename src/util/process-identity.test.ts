import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTempFiles, tempPathFor, UNOWNED_TEMP_STALE_AFTER_MS } from './atomic-file.js';
import { currentProcess, hostTag, isProcessGone, processStartTicks } from './process-identity.js';

/** The pid of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('process identity', () => {
  it('tells a live process, an ended one, a reused pid and another host apart', () => {
    const self = currentProcess();
    expect(isProcessGone(self)).toBe(false);
    expect(isProcessGone({ pid: deadPid(), host: hostname() })).toBe(true);
    expect(isProcessGone({ ...self, host: `not-${hostname()}` })).toBeUndefined();
    if (self.started !== undefined) {
      // Same pid, another start time: the pid now belongs to another process.
      expect(isProcessGone({ ...self, started: `${self.started}0` })).toBe(true);
      expect(processStartTicks(process.pid)).toBe(self.started);
    }
  });
});

describe('stale temp files next to an output', () => {
  it("removes a dead process's temp file, keeps live, foreign and recent unowned ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-stale-'));
    const target = join(dir, 'out.csv');
    const own = tempPathFor(target);
    const self = currentProcess();
    expect(own).toMatch(
      new RegExp(`/\\.out\\.csv\\.tmp-${hostTag()}-${process.pid}-${self.started ?? '0'}-[0-9a-f]{12}$`),
    );
    const dead = join(dir, `.out.csv.tmp-${hostTag()}-${deadPid()}-0-0123456789ab`);
    const foreign = join(dir, `.out.csv.tmp-${hostTag('elsewhere')}-1-0-0123456789ab`);
    const oldUnowned = join(dir, '.out.csv.tmp-aaaaaaaaaaaa');
    const newUnowned = join(dir, '.out.csv.tmp-bbbbbbbbbbbb');
    const otherFile = join(dir, '.other.csv.tmp-cccccccccccc');
    for (const path of [own, dead, foreign, oldUnowned, newUnowned, otherFile]) await writeFile(path, 'x');
    const longAgo = (Date.now() - UNOWNED_TEMP_STALE_AFTER_MS - 60_000) / 1000;
    await utimes(oldUnowned, longAgo, longAgo);
    await utimes(otherFile, longAgo, longAgo);

    const result = await removeStaleTempFiles(target);
    expect(result.removed.sort()).toEqual([dead, oldUnowned].sort());
    expect(result.kept.sort()).toEqual([own, foreign, newUnowned].sort());
    expect((await readdir(dir)).sort()).toEqual(
      [own, foreign, newUnowned, otherFile].map((path) => path.slice(dir.length + 1)).sort(),
    );
  });
});
