// Pictures and videos chosen on the device, fingerprinted in workers. Thumbnails of pictures are local
// object URLs, blurred by default: the person may not want to see the picture again, or someone may be
// looking. Videos get no thumbnail (drawing one would mean decoding it here), a progress bar while they
// are hashed (it can take minutes) and a button to stop.
import { PDQ_QUALITY_THRESHOLD } from '@halte/pdq';
import { useId, useState, type ChangeEvent } from 'react';

import { Checkbox } from '../../../components/fields';
import type { Translate } from '../../../i18n/catalogues';
import { useI18n } from '../../../i18n/i18n';
import { isVideoErrorCode } from '../../../video/protocol';
import { hashingProgress, type MediaEntry } from '../hashing/media-queue';
import { isHashErrorCode, isVideoHashes } from '../hashing/protocol';
import { useReportSession } from '../session';
import { MAX_ITEMS } from '../wizard';
import { HashingProgress, ImagePicker } from './pickers';
import type { ProblemOf } from './types';

/** Whether no frame of the file is detailed enough to be matched reliably (a near-uniform picture or video). */
function lowQuality(entry: MediaEntry): boolean {
  if (entry.status !== 'done' || entry.hashes === undefined) return false;
  if (isVideoHashes(entry.hashes)) return !entry.hashes.vpdq.some((frame) => frame.quality >= PDQ_QUALITY_THRESHOLD);
  return entry.hashes.quality < PDQ_QUALITY_THRESHOLD;
}

/** Why the file will not be sent, in the person's words. */
function failureText(t: Translate, { kind, error }: MediaEntry): string {
  if (kind === 'video') return t(`report.videos.error.${error !== undefined && isVideoErrorCode(error) ? error : 'WORKER_FAILED'}`);
  return t(`report.images.error.${error !== undefined && isHashErrorCode(error) ? error : 'WORKER_FAILED'}`);
}

function VideoThumb() {
  return (
    <span className="thumb thumb-empty" aria-hidden="true">
      <svg viewBox="0 0 72 72" width="72" height="72" focusable="false">
        <path d="M28 22v28l22-14z" fill="currentColor" />
      </svg>
    </span>
  );
}

/** One chosen picture or video: its (blurred) thumbnail, name, state, warnings; also used by the follow-up. */
export function MediaItem({ entry, sharp, onRemove, onCancel }: { entry: MediaEntry; sharp: boolean; onRemove: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const video = entry.kind === 'video';
  const low = lowQuality(entry);
  const percent = Math.floor((entry.progress ?? 0) * 100);
  const status =
    entry.status === 'waiting'
      ? t('report.images.status.waiting')
      : entry.status === 'hashing'
        ? video
          ? t('report.videos.status.hashing', { percent })
          : t('report.images.status.hashing')
        : entry.status === 'done'
          ? t('report.images.status.done')
          : null;
  const area = video ? 'videos' : 'images';
  return (
    <li className={`image-item image-${entry.status}${low ? ' image-low-quality' : ''}`}>
      {video ? (
        <VideoThumb />
      ) : entry.status === 'failed' || entry.previewUrl === null ? (
        <span className="thumb thumb-empty" aria-hidden="true" />
      ) : (
        <img className={sharp ? 'thumb' : 'thumb blurred'} src={entry.previewUrl} alt={t('report.images.previewAlt', { name: entry.name })} width={72} height={72} />
      )}
      <div className="image-text">
        <p className="image-name">{entry.name}</p>
        {video && <p className="image-status">{t('report.videos.kind')}</p>}
        {status !== null && <p className="image-status">{status}</p>}
        {video && entry.status === 'hashing' && (
          <>
            <progress max={100} value={percent} aria-label={t('report.videos.progressLabel', { name: entry.name })} />
            <p className="hint">{t('report.videos.stay')}</p>
          </>
        )}
        {low && <p className="image-warning">{t(`report.${area}.lowQuality`)}</p>}
        {entry.status === 'duplicate' && <p className="image-warning">{t(`report.${area}.duplicate`)}</p>}
        {entry.status === 'failed' && entry.error !== undefined && <p className="image-warning">{failureText(t, entry)}</p>}
        {video && entry.status === 'hashing' ? (
          <button type="button" className="button-quiet" onClick={onCancel}>
            {t('report.videos.cancel')}
            <span className="visually-hidden"> {entry.name}</span>
          </button>
        ) : (
          <button type="button" className="button-quiet" onClick={onRemove}>
            {t('report.images.remove')}
            <span className="visually-hidden"> {entry.name}</span>
          </button>
        )}
      </div>
    </li>
  );
}

export function ImagesStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { images, queue, answers } = useReportSession();
  const [sharp, setSharp] = useState(false);
  const [limited, setLimited] = useState(false);
  const id = useId();
  const { done, total, work } = hashingProgress(images);

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])];
    // Clear the control: the same file can be picked again after removal, and the input keeps no
    // handle on the person's files.
    event.currentTarget.value = '';
    const room = Math.max(0, MAX_ITEMS - images.length - answers.urls.length);
    setLimited(files.length > room);
    queue.add(files.slice(0, room));
  };

  const error = problem('images');
  return (
    <>
      <p>{t('report.images.intro')}</p>
      <p>{t('report.images.optional')}</p>
      <ImagePicker id={id} name="images" error={error} onPick={onPick} />
      {limited && (
        <p className="notice" role="alert">
          {t('report.images.limit', { max: MAX_ITEMS })}
        </p>
      )}
      <HashingProgress id={id} done={done} total={total} work={work} />
      {images.length > 0 && (
        <>
          <h3>{t('report.images.listTitle')}</h3>
          {images.some((entry) => entry.kind === 'image') && (
            <Checkbox name="sharpPreviews" label={t('report.images.showPreviews')} hint={t('report.images.previewsHint')} checked={sharp} onChange={setSharp} />
          )}
          <ul className="image-list">
            {images.map((entry) => (
              <MediaItem key={entry.id} entry={entry} sharp={sharp} onRemove={() => queue.remove(entry.id)} onCancel={() => queue.cancel(entry.id)} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
