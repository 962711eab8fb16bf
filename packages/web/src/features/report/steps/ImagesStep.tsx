// Pictures chosen on the device, fingerprinted in the worker. Thumbnails are local object URLs,
// blurred by default: the person may not want to see the picture again, or someone may be looking.
import { PDQ_QUALITY_THRESHOLD } from '@halte/pdq';
import { useId, useState, type ChangeEvent } from 'react';

import { Checkbox } from '../../../components/fields';
import { useI18n } from '../../../i18n/i18n';
import { hashingProgress, type ImageEntry } from '../hashing/image-queue';
import { useReportSession } from '../session';
import { MAX_ITEMS } from '../wizard';
import { HashingProgress, ImagePicker } from './pickers';
import type { ProblemOf } from './types';

/** One chosen picture: its (blurred) thumbnail, name, state and warnings; also used by the follow-up. */
export function ImageItem({ entry, sharp, onRemove }: { entry: ImageEntry; sharp: boolean; onRemove: () => void }) {
  const { t } = useI18n();
  const lowQuality = entry.status === 'done' && entry.hashes !== undefined && entry.hashes.quality < PDQ_QUALITY_THRESHOLD;
  const status =
    entry.status === 'waiting'
      ? t('report.images.status.waiting')
      : entry.status === 'hashing'
        ? t('report.images.status.hashing')
        : entry.status === 'done'
          ? t('report.images.status.done')
          : null;
  return (
    <li className={`image-item image-${entry.status}${lowQuality ? ' image-low-quality' : ''}`}>
      {entry.status === 'failed' ? (
        <span className="thumb thumb-empty" aria-hidden="true" />
      ) : (
        <img className={sharp ? 'thumb' : 'thumb blurred'} src={entry.previewUrl} alt={t('report.images.previewAlt', { name: entry.name })} width={72} height={72} />
      )}
      <div className="image-text">
        <p className="image-name">{entry.name}</p>
        {status !== null && <p className="image-status">{status}</p>}
        {lowQuality && <p className="image-warning">{t('report.images.lowQuality')}</p>}
        {entry.status === 'duplicate' && <p className="image-warning">{t('report.images.duplicate')}</p>}
        {entry.status === 'failed' && entry.error !== undefined && <p className="image-warning">{t(`report.images.error.${entry.error}`)}</p>}
        <button type="button" className="button-quiet" onClick={onRemove}>
          {t('report.images.remove')}
          <span className="visually-hidden"> {entry.name}</span>
        </button>
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
  const { done, total } = hashingProgress(images);

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
      <HashingProgress id={id} done={done} total={total} />
      {images.length > 0 && (
        <>
          <h3>{t('report.images.listTitle')}</h3>
          <Checkbox name="sharpPreviews" label={t('report.images.showPreviews')} hint={t('report.images.previewsHint')} checked={sharp} onChange={setSharp} />
          <ul className="image-list">
            {images.map((entry) => (
              <ImageItem key={entry.id} entry={entry} sharp={sharp} onRemove={() => queue.remove(entry.id)} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
