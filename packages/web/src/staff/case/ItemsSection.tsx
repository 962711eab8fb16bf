// The fingerprints and links of a case. Halte has no picture: images and videos are their hashes (PDQ
// hex, quality), links are text, and a link to open only when it is http(s) (links.ts). Each image or
// video is reviewed here: verified or rejected (a rejected fingerprint is never shared).
import type { CaseItem, ItemReview } from '@halte/contract';

import { formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback } from '../ui/Feedback';
import { useAction } from '../ui/useAction';
import { REVIEW_WORDS } from '../wording';
import type { CaseProps } from './CasePage';
import { EXTERNAL_LINK_REL, safeLinkHref } from './links';

/** "Image 1", "Vidéo 1", "Lien 2": each kind numbered on its own, in the order they came. */
function itemLabels(items: readonly CaseItem[]): { kind: CaseItem['kind']; n: number }[] {
  const seen = { image: 0, video: 0, url: 0 };
  return items.map((item) => {
    seen[item.kind] += 1;
    return { kind: item.kind, n: seen[item.kind] };
  });
}

export function ItemsSection({ detail, reload }: CaseProps) {
  const { tr } = useStaffI18n();
  const labels = itemLabels(detail.items);
  return (
    <section className="staff-section" aria-labelledby="items-title">
      <h2 id="items-title">{tr('items.title')}</h2>
      {detail.items.length === 0 ? (
        <p className="hint">{tr('items.none')}</p>
      ) : (
        <ul className="staff-items" data-testid="case-items">
          {detail.items.map((item, index) => {
            const label = labels[index] ?? { kind: item.kind, n: index + 1 };
            return <Item key={item.id} item={item} label={tr(`item.${label.kind}`, { n: label.n })} detail={detail} reload={reload} />;
          })}
        </ul>
      )}
    </section>
  );
}

function Hash({ label, value }: { label: string; value: string | null }) {
  if (value === null) return null;
  return (
    <div className="staff-fact">
      <dt>{label}</dt>
      <dd>
        <code className="staff-hash">{value}</code>
      </dd>
    </div>
  );
}

function Item({ item, label, detail, reload }: { item: CaseItem; label: string } & CaseProps) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  return (
    <li className={item.withdrawn ? 'staff-item withdrawn' : 'staff-item'} data-testid="case-item" data-item-id={item.id} data-kind={item.kind}>
      <h3>{label}</h3>
      {item.withdrawn && <p className="staff-badge staff-badge-muted">{tr('item.withdrawn')}</p>}
      {item.kind === 'url' ? (
        <UrlItem item={item} />
      ) : (
        <>
          <ul className="staff-facts-inline">
            {item.quality !== null && <li>{tr('item.quality', { quality: item.quality })}</li>}
            {item.kind === 'video' && item.frames !== null && <li>{tr('item.frames', { frames: item.frames, quality: item.minFrameQuality ?? '–' })}</li>}
            {item.lowQuality && (
              <li>
                <span className="staff-badge staff-badge-warn" data-testid="item-low-quality">
                  {tr('item.lowQuality')}
                </span>
              </li>
            )}
          </ul>
          <dl className="staff-hashes">
            <Hash label={tr('item.pdq')} value={item.pdq} />
            <Hash label={tr('item.md5')} value={item.md5} />
            <Hash label={tr('item.sha256')} value={item.sha256} />
          </dl>
        </>
      )}
      <p className="hint">{tr('item.added', { when: formatWhen(item.addedAt, locale) })}</p>
      {item.kind !== 'url' && <Review item={item} label={label} detail={detail} reload={reload} />}
    </li>
  );
}

function UrlItem({ item }: { item: CaseItem }) {
  const { tr } = useStaffI18n();
  if (item.url === null) return null;
  const href = safeLinkHref(item.url);
  return (
    <>
      <p className="staff-url">
        <code data-testid="item-url-text">{item.url}</code>
      </p>
      {item.host !== null && <p>{tr('item.host', { host: item.host })}</p>}
      {href === null ? (
        <p className="hint" data-testid="item-url-unsafe">
          {tr('item.url.notLink')}
        </p>
      ) : (
        <p>
          <a href={href} target="_blank" rel={EXTERNAL_LINK_REL} referrerPolicy="no-referrer" data-testid="item-link">
            {tr('item.url.open')}
          </a>
        </p>
      )}
    </>
  );
}

function Review({ item, label, detail, reload }: { item: CaseItem; label: string } & CaseProps) {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const action = useAction();
  const locale = staffLocale(language);
  const set = async (review: Exclude<ItemReview, 'self_submitted'>) => {
    const done = await action.run(() => api.review(detail.id, item.id, review), { done: () => ({ key: 'item.review.done', params: { item: label, state: tr(REVIEW_WORDS[review]) } }) });
    if (done !== null) await reload();
  };
  const mayReview = detail.may.work && !item.withdrawn;
  return (
    <div className="staff-review">
      <p data-testid="item-review-state" data-review={item.review}>
        <span className={`staff-review-tag staff-review-${item.review}`}>{tr('item.review', { state: tr(REVIEW_WORDS[item.review]) })}</span>
        {item.reviewedBy !== null && item.reviewedAt !== null && <> {tr('item.reviewedBy', { email: item.reviewedBy.email, when: formatWhen(item.reviewedAt, locale) })}</>}
      </p>
      {mayReview && (
        <div className="staff-actions" role="group" aria-label={tr('item.review.group', { item: label })}>
          <button
            type="button"
            className="button-secondary staff-small"
            aria-pressed={item.review === 'analyst_verified'}
            onClick={() => void set('analyst_verified')}
            disabled={action.pending}
            data-testid="item-verify"
          >
            {tr('item.review.verify')}
          </button>
          <button
            type="button"
            className="button-secondary staff-small"
            aria-pressed={item.review === 'rejected'}
            onClick={() => void set('rejected')}
            disabled={action.pending}
            data-testid="item-reject"
          >
            {tr('item.review.reject')}
          </button>
        </div>
      )}
      <Feedback state={action.state} testId="item-review" />
    </div>
  );
}
