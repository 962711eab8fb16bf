import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These tests run the built command as a person would (`npm test` builds first).
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'bin/halte.js');
const FIXTURES = join(ROOT, 'packages/pdq/test/fixtures');

const reference = new Map(
  readFileSync(join(FIXTURES, 'expected-cpp-reference.csv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(','))
    .map(([hash, quality, file]) => [file as string, { hash: hash as string, quality: Number(quality) }]),
);

function halte(args: string[], cwd: string): { code: number | null; lines: Record<string, unknown>[]; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  const lines = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stdout: run.stdout, stderr: run.stderr };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'halte-cli-'));
  mkdirSync(join(work, 'photos/b'), { recursive: true });
  copyFileSync(join(FIXTURES, 'bridge-mods/aaa-orig.jpg'), join(work, 'photos/a.jpg'));
  copyFileSync(join(FIXTURES, 'misc-images/c.png'), join(work, 'photos/b/c.png'));
  copyFileSync(join(FIXTURES, 'misc-images/wee.jpg'), join(work, 'photos/b/wee.jpg'));
  writeFileSync(join(work, 'photos/notes.txt'), 'not an image');
  writeFileSync(join(work, 'empty.jpg'), '');
  const jpeg = readFileSync(join(FIXTURES, 'bridge-mods/aaa-orig.jpg'));
  writeFileSync(join(work, 'truncated.jpg'), jpeg.subarray(0, jpeg.length / 2));
  symlinkSync('..', join(work, 'photos/b/loop'));
  symlinkSync('b', join(work, 'photos/c'));
  mkdirSync(join(work, 'nothing'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('halte hash', () => {
  it('prints one line per file, in order, walking directories, with the reference PDQ and true digests', () => {
    const run = halte(['hash', '--json', 'photos'], work);
    expect(run.lines.map((l) => l['file'])).toEqual([
      'photos/a.jpg',
      'photos/b/c.png',
      'photos/b/loop',
      'photos/b/wee.jpg',
      'photos/c/c.png', // the same directory under a second name: walked again, not a loop
      'photos/c/loop',
      'photos/c/wee.jpg',
      'photos/notes.txt',
    ]);
    const [a, c, loop, wee, cAgain] = run.lines;
    const notes = run.lines[7];
    expect(loop).toEqual({ file: 'photos/b/loop', error: expect.stringMatching(/^FILE_UNREADABLE: a symbolic link back into a directory being walked/) });
    expect(cAgain?.['pdq']).toBe(c?.['pdq']);
    expect(a).toMatchObject({ kind: 'image', pdq: reference.get('bridge-mods/aaa-orig.jpg')?.hash, quality: 100 });
    expect(c).toMatchObject({ kind: 'image', pdq: reference.get('misc-images/c.png')?.hash });
    expect(wee).toMatchObject({ kind: 'image', pdq: reference.get('misc-images/wee.jpg')?.hash });
    for (const [line, file] of [[a, 'photos/a.jpg'], [c, 'photos/b/c.png']] as const) {
      expect(line?.['md5']).toBe(execFileSync('md5sum', [file], { cwd: work, encoding: 'utf8' }).split(' ')[0]);
      expect(line?.['sha256']).toBe(execFileSync('sha256sum', [file], { cwd: work, encoding: 'utf8' }).split(' ')[0]);
    }
    expect(Object.keys(a ?? {})).toEqual(['file', 'kind', 'pdq', 'quality', 'md5', 'sha256']);
    expect(notes).toEqual({ file: 'photos/notes.txt', error: expect.stringMatching(/^IMAGE_UNSUPPORTED_FORMAT: /) });
    expect(run.code).toBe(1);
  });

  it('reports each unreadable file on its own line and still hashes the others', () => {
    const run = halte(['hash', 'empty.jpg', 'missing.jpg', 'photos/a.jpg', 'truncated.jpg'], work);
    expect(run.lines).toEqual([
      { file: 'empty.jpg', error: expect.stringMatching(/^FILE_EMPTY: /) },
      { file: 'missing.jpg', error: expect.stringMatching(/^FILE_UNREADABLE: /) },
      expect.objectContaining({ file: 'photos/a.jpg', kind: 'image', quality: 100 }),
      { file: 'truncated.jpg', error: expect.stringMatching(/^IMAGE_CORRUPT: /) },
    ]);
    expect(run.code).toBe(1);
  });

  it('exits 0 when every file hashed, and adds the eight dihedral hashes on request', () => {
    const run = halte(['hash', '--dihedral', 'photos/b/wee.jpg'], work);
    expect(run.code).toBe(0);
    const dihedral = run.lines[0]?.['dihedral'] as Record<string, string>;
    expect(Object.keys(dihedral)).toEqual(['original', 'rotate90', 'rotate180', 'rotate270', 'flipX', 'flipY', 'flipPlus1', 'flipMinus1']);
    expect(dihedral['original']).toBe(run.lines[0]?.['pdq']);
  });

  it('hashes many files across worker threads with the same results as one by one', () => {
    const dir = join(FIXTURES, 'reg-test-input/labelme-subset');
    const run = halte(['hash', dir], work);
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(7);
    for (const line of run.lines) {
      const name = String(line['file']).split('/').pop() as string;
      expect(line['pdq']).toBe(reference.get(`reg-test-input/labelme-subset/${name}`)?.hash);
    }
  });

  it('stops quietly when the reader of its output goes away (| head -1)', async () => {
    const child = spawn(process.execPath, [BIN, 'hash', join(FIXTURES, 'bridge-mods'), join(FIXTURES, 'reg-test-input/labelme-subset')], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).not.toMatch(/EPIPE|Error|at /);
    expect([0, 1]).toContain(code);
  });

  it('prints nothing and exits 0 for an empty directory', () => {
    const run = halte(['hash', 'nothing'], work);
    expect(run).toMatchObject({ code: 0, stdout: '' });
  });

  it.each([
    [['hash'], /no file or directory given/],
    [['hash', '--frobnicate', 'a.jpg'], /Unknown option/],
    [['unhash'], /unknown command "unhash"/],
    [[], /Usage: halte/],
  ])('refuses %j with exit code 2 and the usage', (args, message) => {
    const run = halte(args, work);
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toMatch(message);
  });
});
