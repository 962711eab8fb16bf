import { MAX_VPDQ_FRAMES } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { CATALOGUES } from '../i18n/catalogues';
import { isVideoFile, MAX_VIDEO_HASHED_FRAMES } from './limits';
import { VIDEO_ERROR_CODES } from './protocol';

describe('video limits', () => {
  it('hold no more frames than the contract accepts in a video item', () => {
    expect(MAX_VIDEO_HASHED_FRAMES).toBe(MAX_VPDQ_FRAMES);
  });

  it('route a file by its type, else by its name', () => {
    expect(isVideoFile({ name: 'clip', type: 'video/quicktime' })).toBe(true);
    expect(isVideoFile({ name: 'IMG_0001.MOV', type: '' })).toBe(true);
    expect(isVideoFile({ name: 'film.webm', type: 'application/octet-stream' })).toBe(true);
    expect(isVideoFile({ name: 'photo.jpg', type: 'image/jpeg' })).toBe(false);
    expect(isVideoFile({ name: 'photo.heic', type: '' })).toBe(false);
    // A type the browser is sure of wins over the name.
    expect(isVideoFile({ name: 'not-really.mp4', type: 'text/plain' })).toBe(false);
  });

  it('have words in both languages for every reason a video is not hashed', () => {
    for (const language of ['fr', 'en'] as const) {
      const catalogue = CATALOGUES[language] as Readonly<Record<string, string>>;
      for (const code of VIDEO_ERROR_CODES) expect(catalogue[`report.videos.error.${code}`], `${language} ${code}`).toBeTruthy();
    }
  });
});
