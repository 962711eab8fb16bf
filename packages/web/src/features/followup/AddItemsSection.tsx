// More pictures, videos and links for an open case. The same hashing as the report (its workers and
// queue: the files never leave the device, only their fingerprints do) and the same reading of links.
import { MAX_ADDED_ITEMS, type FollowupView } from '@halte/contract';
import { useId, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';

import { addFollowUpItems, type ItemsAdded } from '../../api/client';
import { Checkbox, focusField } from '../../components/fields';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';
import { hashingProgress, readyHashes } from '../report/hashing/media-queue';
import { useMediaQueue } from '../report/hashing/useMediaQueue';
import { readLink } from '../report/links';
import { MediaItem } from '../report/steps/ImagesStep';
import { HashingProgress, ImagePicker, LinkInput } from '../report/steps/pickers';
import { buildAdditions, linkInCase, type Problem } from './additions';
import { Failure } from './Failure';
import type { FollowUpCase } from './useFollowUpCase';
import { countsText, type ItemCounts } from './wording';

type Sending =
  | { readonly status: 'idle' | 'sending' }
  | { readonly status: 'added'; readonly counts: ItemCounts; readonly warnings: ItemsAdded['warnings'] }
  | { readonly status: 'failed'; readonly messages: readonly MessageKey[] };

export function AddItemsSection({ view, followUp }: { view: FollowupView; followUp: FollowUpCase }) {
  const { t, language } = useI18n();
  const id = useId();
  const { queue, entries } = useMediaQueue();
  const [urls, setUrls] = useState<readonly string[]>([]);
  const [linkDraft, setLinkDraft] = useState('');
  const [linkProblem, setLinkProblem] = useState<Problem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sharp, setSharp] = useState(false);
  const [sending, setSending] = useState<Sending>({ status: 'idle' });
  const { done, total, work } = hashingProgress(entries);

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])];
    // Cleared: the same file can be chosen again after removal, and the input keeps no handle on it.
    event.currentTarget.value = '';
    const room = Math.max(0, MAX_ADDED_ITEMS - entries.length - urls.length);
    setProblem(files.length > room ? { message: 'case.add.limit', params: { max: MAX_ADDED_ITEMS } } : null);
    if (sending.status !== 'sending') setSending({ status: 'idle' });
    queue.add(files.slice(0, room));
  };

  const addLink = () => {
    const result = readLink(linkDraft);
    if (!result.ok) return setLinkProblem({ message: result.problem });
    if (urls.includes(result.url)) return setLinkProblem({ message: 'report.links.duplicate' });
    if (linkInCase(result.url, view.items)) return setLinkProblem({ message: 'case.add.inCase' });
    if (entries.length + urls.length >= MAX_ADDED_ITEMS) return setLinkProblem({ message: 'case.add.limit', params: { max: MAX_ADDED_ITEMS } });
    setUrls([...urls, result.url]);
    setLinkDraft('');
    setLinkProblem(null);
    if (sending.status !== 'sending') setSending({ status: 'idle' });
  };

  const onLinkKey = (event: KeyboardEvent<HTMLElement>) => {
    // Enter adds the link (it would otherwise send the whole form).
    if (event.key === 'Enter') {
      event.preventDefault();
      addLink();
    }
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending.status === 'sending') return;
    if (done < total) {
      setProblem({ message: 'report.images.wait' });
      return focusField('addImages');
    }
    if (linkDraft.trim() !== '') {
      setLinkProblem({ message: 'report.links.pending' });
      return focusField('addLink');
    }
    const built = buildAdditions(readyHashes(entries), urls);
    if (!built.ok) {
      setProblem(built.problem);
      return focusField('addImages');
    }
    setProblem(null);
    setSending({ status: 'sending' });
    const result = await addFollowUpItems(built.items);
    if (!result.ok) {
      const messages = followUp.failed(result.failure);
      if (messages !== null) setSending({ status: 'failed', messages: [...messages, 'case.add.kept'] });
      return;
    }
    // Sent: the thumbnails and the files' handles are no longer needed here.
    queue.reset();
    setUrls([]);
    setSending({ status: 'added', counts: built.counts, warnings: result.data.warnings });
    const reloadFailure = await followUp.reload();
    if (reloadFailure !== null) setSending({ status: 'failed', messages: reloadFailure });
  };

  const pickProblem = problem === null ? undefined : t(problem.message, problem.params);
  return (
    <section aria-labelledby="add-title">
      <h2 id="add-title">{t('case.add.title')}</h2>
      <p>{t('case.add.intro')}</p>
      <form className="add-items" onSubmit={(event) => void onSubmit(event)} noValidate>
        <h3>{t('case.add.imagesTitle')}</h3>
        <ImagePicker id={id} name="addImages" error={pickProblem} onPick={onPick} />
        <HashingProgress id={id} done={done} total={total} work={work} />
        {entries.length > 0 && (
          <>
            {entries.some((entry) => entry.kind === 'image') && (
              <Checkbox name="addSharpPreviews" label={t('report.images.showPreviews')} hint={t('report.images.previewsHint')} checked={sharp} onChange={setSharp} />
            )}
            <ul className="image-list">
              {entries.map((entry) => (
                <MediaItem key={entry.id} entry={entry} sharp={sharp} onRemove={() => queue.remove(entry.id)} onCancel={() => queue.cancel(entry.id)} />
              ))}
            </ul>
          </>
        )}

        <h3>{t('case.add.linksTitle')}</h3>
        <p className="hint">{t('report.links.safety')}</p>
        <LinkInput
          name="addLink"
          value={linkDraft}
          error={linkProblem === null ? undefined : t(linkProblem.message, linkProblem.params)}
          onChange={(value) => {
            setLinkDraft(value);
            setLinkProblem(null);
          }}
          onAdd={addLink}
          onKeyDown={onLinkKey}
        />
        {urls.length > 0 && (
          <ul className="link-list">
            {urls.map((url) => (
              <li key={url}>
                <span className="link-url">{url}</span>
                <button type="button" className="button-quiet" onClick={() => setUrls(urls.filter((u) => u !== url))}>
                  {t('report.links.remove')}
                  <span className="visually-hidden"> {url}</span>
                </button>
              </li>
            ))}
          </ul>
        )}

        <div className="actions">
          <button type="submit" className="button-primary" disabled={sending.status === 'sending'}>
            {t('case.add.send')}
          </button>
        </div>
        <div role="status">
          {sending.status === 'sending' && <p>{t('case.add.sending')}</p>}
          {sending.status === 'added' && (
            <div className="notice notice-safe">
              <p>{t('case.add.done', { counts: countsText(language, sending.counts) })}</p>
              {sending.warnings.map((warning) => (
                <p key={`${warning.code}-${warning.item}`}>{t(`done.warning.${warning.code}`, { n: warning.item + 1 })}</p>
              ))}
            </div>
          )}
        </div>
        <div role="alert">{sending.status === 'failed' && <Failure messages={sending.messages} />}</div>
      </form>
    </section>
  );
}
