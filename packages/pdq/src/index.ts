// @halte/pdq: PDQ perceptual hashing and a multi-index Hamming index. Zero dependencies; pixel buffers
// in, hex hashes out; runs unchanged in a browser Web Worker and in Node. Decoding files is the job
// of `@halte/pdq/node` or of the browser.
export {
  MAX_IMAGE_PIXELS,
  MAX_VIDEO_FILE_BYTES,
  MAX_VIDEO_FRAME_PIXELS,
  PDQ_EMPTY_HASH,
  PDQ_HASH_BITS,
  PDQ_MATCH_THRESHOLD,
  PDQ_MIN_HASHABLE_DIM,
  PDQ_QUALITY_THRESHOLD,
  PDQ_REFERENCE_DOWNSAMPLE_DIM,
} from './constants.js';
export { PDQ_ERROR_CODES, PdqError, isPdqError, type PdqErrorCode } from './errors.js';
export { bytesToHex, hammingDistance, hexToBytes } from './hash256.js';
export {
  DIHEDRAL_NAMES,
  pdqDihedral,
  pdqHash,
  type DihedralName,
  type PdqDihedralResult,
  type PdqHashOptions,
  type PdqImage,
  type PdqResult,
} from './pdq.js';
export { PdqIndex, type PdqIndexOptions, type PdqMatch } from './pdq-index.js';
export { radixOrder32 } from './radix.js';
export {
  VPDQ_DEFAULT_SECONDS_PER_HASH,
  VPDQ_DISTANCE_THRESHOLD,
  VPDQ_MATCH_PERCENT,
  VPDQ_QUALITY_THRESHOLD,
  isVpdqMatch,
  packFrames,
  vpdqHash,
  vpdqMatch,
  vpdqMatchPacked,
  vpdqSamplingStep,
  type PackedFrames,
  type VpdqFrameHash,
  type VpdqHashOptions,
  type VpdqInputFrame,
  type VpdqMatchOptions,
  type VpdqMatchResult,
} from './vpdq.js';
export {
  VpdqIndex,
  type VpdqIndexMatch,
  type VpdqIndexOptions,
  type VpdqIndexQuery,
  type VpdqIndexQueryOptions,
  type VpdqVideo,
} from './vpdq-index.js';
