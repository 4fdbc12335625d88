import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as nodeCrc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readZip } from '../../../test/fixtures/runs/read-zip.js';
import { crc32 } from './crc32.js';
import { ZipWriter } from './zip-writer.js';

describe('ZipWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'osiris-zip-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes entries that an independent reader inflates with matching CRCs', async () => {
    const path = join(dir, 'out.zip');
    const zip = await ZipWriter.create(path);
    const text = Buffer.from('line\n'.repeat(2000));
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    await zip.add('run/events.jsonl', text);
    await zip.add('run/artifacts/step/données.bin', random);
    await zip.add('run/empty.txt', Buffer.alloc(0));
    await zip.finish();

    const entries = readZip(path);
    expect(entries.map((entry) => entry.name)).toEqual([
      'run/events.jsonl',
      'run/artifacts/step/données.bin',
      'run/empty.txt',
    ]);
    expect(entries[0]?.data.equals(text)).toBe(true);
    expect(entries[0]?.method).toBe(8);
    expect(entries[1]?.data.equals(random)).toBe(true);
    expect(entries[2]?.data.length).toBe(0);
  });

  it('computes the same CRC-32 as zlib', () => {
    for (const sample of ['', 'a', 'The quick brown fox jumps over the lazy dog', 'é'.repeat(1000)]) {
      const data = Buffer.from(sample);
      expect(crc32(data)).toBe(nodeCrc32(data));
    }
  });
});
