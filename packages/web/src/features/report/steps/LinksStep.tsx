// Links to the pages where the pictures or messages are: typed or pasted one at a time, checked as
// the contract checks them, listed, removable.
import { useState, type KeyboardEvent } from 'react';

import { useI18n } from '../../../i18n/i18n';
import type { MessageKey } from '../../../i18n/catalogues';
import { readLink } from '../links';
import { useReportSession } from '../session';
import { MAX_ITEMS } from '../wizard';
import { LinkInput } from './pickers';
import type { ProblemOf } from './types';

export function LinksStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { answers, update, linkDraft, setLinkDraft, images } = useReportSession();
  const [error, setError] = useState<MessageKey | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const add = () => {
    const result = readLink(linkDraft);
    if (!result.ok) {
      setError(result.problem);
      return;
    }
    if (answers.urls.includes(result.url)) {
      setError('report.links.duplicate');
      return;
    }
    if (answers.urls.length + images.length >= MAX_ITEMS) {
      setError('report.images.limit');
      return;
    }
    const urls = [...answers.urls, result.url];
    update({ urls });
    setLinkDraft('');
    setError(null);
    setAnnouncement(t('report.links.added', { count: urls.length }));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // Enter adds the link (it would otherwise submit the whole step).
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };

  const shown = error === null ? problem('urls') : t(error, { max: MAX_ITEMS });
  return (
    <>
      <p>{t('report.links.intro')}</p>
      <p>{t('report.links.safety')}</p>
      <LinkInput
        name="urls"
        value={linkDraft}
        error={shown}
        onChange={(value) => {
          setLinkDraft(value);
          setError(null);
        }}
        onAdd={add}
        onKeyDown={onKeyDown}
      />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <h3>{t('report.links.listTitle')}</h3>
      {answers.urls.length === 0 ? (
        <p className="hint">{t('report.links.none')}</p>
      ) : (
        <ul className="link-list">
          {answers.urls.map((url) => (
            <li key={url}>
              <span className="link-url">{url}</span>
              <button type="button" className="button-quiet" onClick={() => update({ urls: answers.urls.filter((u) => u !== url) })}>
                {t('report.links.remove')}
                <span className="visually-hidden"> {url}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
