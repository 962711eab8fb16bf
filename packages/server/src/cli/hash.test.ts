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

// The video tests need FFmpeg: skipped with a visible reason where it is missing, except under CI=true
// (as packages/pdq/test/ffmpeg.ts).
function ffmpegMissing(): boolean {
  const missing = ['ffmpeg', 'ffprobe'].filter((program) => spawnSync(program, ['-version'], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return false;
  const reason = `${missing.join(' and ')} not found (apt-get install ffmpeg)`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}: required under CI=true`);
  console.warn(`SKIPPED halte hash video tests: ${reason}`);
  return true;
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
  mkdirSync(join(work, 'videos'));
  copyFileSync(join(FIXTURES, 'vpdq/videos/doorknob-hd-no-bar.mp4'), join(work, 'videos/clip.mp4'));
  writeFileSync(join(work, 'videos/notes.mp4'), 'not a video');
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

  describe.skipIf(ffmpegMissing())('videos', () => {
    const reference = readFileSync(join(FIXTURES, 'vpdq/doorknob-hd-no-bar.txt'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split(','))
      .map(([frame, quality, pdq]) => ({ frame: Number(frame), quality: Number(quality), pdq: pdq as string }));
    const distance = (a: string, b: string) => {
      let d = 0;
      for (let i = 0; i < 64; i += 8) {
        for (let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0; x; x >>>= 1) d += x & 1;
      }
      return d;
    };

    it('prints one vPDQ line per video: a frame a second by default, its digests and duration', () => {
      const run = halte(['hash', 'videos'], work);
      expect(run.lines).toEqual([
        expect.objectContaining({ file: 'videos/clip.mp4', kind: 'video', durationSeconds: 4 }),
        { file: 'videos/notes.mp4', error: expect.stringMatching(/^VIDEO_NO_STREAM: /) },
      ]);
      const line = run.lines[0] as { vpdq: { frame: number; timestamp: number; pdq: string; quality: number }[] } & Record<string, unknown>;
      expect(Object.keys(line)).toEqual(['file', 'kind', 'md5', 'sha256', 'durationSeconds', 'vpdq']);
      expect(line['md5']).toBe(execFileSync('md5sum', ['videos/clip.mp4'], { cwd: work, encoding: 'utf8' }).split(' ')[0]);
      expect(line['sha256']).toBe(execFileSync('sha256sum', ['videos/clip.mp4'], { cwd: work, encoding: 'utf8' }).split(' ')[0]);
      expect(line.vpdq.map((f) => [f.frame, f.timestamp])).toEqual([[0, 0], [30, 1], [60, 2], [90, 3]]);
      for (const f of line.vpdq) {
        expect(Object.keys(f)).toEqual(['frame', 'timestamp', 'pdq', 'quality']);
        const ref = reference[f.frame];
        // the reference's regression rule: within distance < 31 where it found quality ≥ 50
        if (ref && ref.quality >= 50) expect(distance(f.pdq, ref.pdq)).toBeLessThan(31);
      }
      expect(run.code).toBe(1);
    });

    it('hashes every frame with --seconds-per-hash 0', () => {
      const run = halte(['hash', '--seconds-per-hash', '0', 'videos/clip.mp4'], work);
      expect(run.code).toBe(0);
      const vpdq = run.lines[0]?.['vpdq'] as { frame: number }[];
      expect(vpdq.map((f) => f.frame)).toEqual(reference.map((r) => r.frame));
    });
  });

  it('prints nothing and exits 0 for an empty directory', () => {
    const run = halte(['hash', 'nothing'], work);
    expect(run).toMatchObject({ code: 0, stdout: '' });
  });

  it.each([
    [['hash'], /no file or directory given/],
    [['hash', '--frobnicate', 'a.jpg'], /Unknown option/],
    [['hash', '--seconds-per-hash', 'abc', 'clip.mp4'], /--seconds-per-hash must be a number of seconds from 0 to 3600; got "abc"[\s\S]*Usage: halte hash/],
    [['hash', '--seconds-per-hash=-1', 'clip.mp4'], /--seconds-per-hash must be a number[\s\S]*--seconds-per-hash N/],
    [['hash', '--seconds-per-hash', '', 'clip.mp4'], /--seconds-per-hash must be a number/],
    [['hash', '--seconds-per-hash', '7200', 'clip.mp4'], /--seconds-per-hash must be a number/],
    [['unhash'], /unknown command "unhash"/],
    [[], /Usage: halte/],
  ])('refuses %j with exit code 2 and the usage', (args, message) => {
    const run = halte(args, work);
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toMatch(message);
  });
});
