// One worker thread of `halte hash`: fingerprints one file and answers one line's object. An image is
// read once (PDQ); a video is decoded by ffmpeg while its digests are computed (vPDQ).
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

import { DIHEDRAL_NAMES, isPdqError, pdqDihedral, pdqHash } from '@halte/pdq';
import { decodeImage, looksLikeVideoFile, readImageFile, vpdqHashFile } from '@halte/pdq/node';

import type { HashJob, HashLine } from './hash.js';

async function hashOne(job: HashJob): Promise<HashLine> {
  try {
    if (await looksLikeVideoFile(job.path)) return await hashVideo(job);
    const bytes = await readImageFile(job.path);
    const image = await decodeImage(bytes);
    const md5 = createHash('md5').update(bytes).digest('hex');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { hash, quality } = pdqHash(image);
    if (!job.dihedral) return { file: job.file, kind: 'image', pdq: hash, quality, md5, sha256 };
    // (the reference filters a 64×64 image for its dihedral variants but not for its plain hash, so
    // `original` can differ from `pdq` on exactly 64×64 images)
    const { hashes } = pdqDihedral(image);
    const dihedral = Object.fromEntries(DIHEDRAL_NAMES.map((name) => [name, hashes[name]]));
    return { file: job.file, kind: 'image', pdq: hash, quality, md5, sha256, dihedral };
  } catch (error) {
    if (isPdqError(error)) return { file: job.file, error: `${error.code}: ${error.message}` };
    // @NOTE an unexpected failure still yields a line for this file: the batch goes on.
    return { file: job.file, error: `INTERNAL_ERROR: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function hashVideo(job: HashJob): Promise<HashLine> {
  const { md5, sha256, durationSeconds, frames } = await vpdqHashFile(job.path, {
    secondsPerHash: job.secondsPerHash,
    ...(job.ffmpegPath ? { ffmpegPath: job.ffmpegPath } : {}),
    ...(job.ffprobePath ? { ffprobePath: job.ffprobePath } : {}),
  });
  const vpdq = frames.map(({ frame, timestamp, pdq, quality }) => ({ frame, timestamp, pdq, quality }));
  return { file: job.file, kind: 'video', md5, sha256, durationSeconds, vpdq };
}

parentPort?.on('message', (job: HashJob) => {
  void hashOne(job).then((line) => parentPort?.postMessage({ seq: job.seq, line }));
});
