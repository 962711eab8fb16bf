/**
 * Two PDQ hashes within this Hamming distance are a match.
 * Source: facebook/ThreatExchange pdq/README.md ("a distance threshold of 31") and
 * python-threatexchange `PDQ_CONFIDENT_MATCH_THRESHOLD = 31`, used by HMA and StopNCII partners.
 */
export const PDQ_MATCH_THRESHOLD = 31;

/**
 * Hashes of quality below this are too featureless to share or match (near-uniform images).
 * Source: facebook/ThreatExchange pdq/README.md ("discard hashes with quality below 50") and
 * python-threatexchange `PDQ_QUALITY_THRESHOLD` / HMA's quality filter.
 */
export const PDQ_QUALITY_THRESHOLD = 50;

/** Either side under this many pixels gives the all-zero hash with quality 0 (reference `MIN_HASHABLE_DIM`). */
export const PDQ_MIN_HASHABLE_DIM = 5;

/** The reference command-line hasher resizes images larger than this (either side) to this × this. */
export const PDQ_REFERENCE_DOWNSAMPLE_DIM = 512;

/** Largest image `pdqHash` accepts, in pixels: the same bound as the Node decoder's bomb guard. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Number of bits in a PDQ hash. */
export const PDQ_HASH_BITS = 256;

/** The hash of an image too small to hash (quality 0). */
export const PDQ_EMPTY_HASH = '0'.repeat(64);

/** Videos larger than this are refused before they are decoded (Node and the browser alike). */
export const MAX_VIDEO_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Frames larger than this are refused from the declared size, before decoding (4096 × 4096: covers
 * 4K UHD and DCI 4K; one RGB frame is then at most 48 MiB). Node and the browser alike.
 */
export const MAX_VIDEO_FRAME_PIXELS = 4096 * 4096;
