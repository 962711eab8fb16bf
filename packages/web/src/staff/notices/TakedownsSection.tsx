// A case's links and their removal: each link's state, host, deadlines and last check; choose links,
// preview the notice (one per host, exactly the text that will leave), send it (e-mail) or prepare it
// (forms: copy, submit, then say so); move the links as hosts answer, paste a host's reply, escalate,
// check a link now. Everything shown is the server's, loaded again after each action.
import { ESCALATION_TARGETS, type CaseTakedowns, type EscalationTarget, type Language, type NoticePreview, type NoticeView, type TakedownState, type TakedownView } from '@halte/contract';
import { useCallback, useEffect, useState } from 'react';

import { failureWords } from '../errors';
import { formatWhen, staffLocale } from '../format';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback, FailureText } from '../ui/Feedback';
import { CheckboxField, Select, TextArea, TextInput } from '../ui/fields';
import { useAction } from '../ui/useAction';
import type { CaseProps } from '../case/CasePage';
import { deviceTimeZone, isoToLocalInput, localInputToIso } from '../case/datetime';
import { EXTERNAL_LINK_REL, safeLinkHref } from '../case/links';
import { choosable, commonMoves } from './takedowns';

/** The authorities and flaggers of the case's country (all of them when it is neither France nor Belgium). */
const TARGETS_BY_COUNTRY: Readonly<Record<'FR' | 'BE' | 'other', readonly EscalationTarget[]>> = {
  FR: ['pharos', 'e_enfance_3018', 'point_de_contact', 'arcom'],
  BE: ['child_focus', 'ibpt'],
  other: ESCALATION_TARGETS,
};

export function TakedownsSection({ detail }: CaseProps) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [data, setData] = useState<CaseTakedowns | null>(null);
  const [loadFailure, setLoadFailure] = useState<Words | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());

  const load = useCallback(async () => {
    const result = await api.takedowns(detail.id);
    if (!result.ok) return setLoadFailure(failureWords(result.failure));
    setLoadFailure(null);
    setData(result.data);
    // a link that left (withdrawn) is no longer chosen
    setChosen((before) => new Set([...before].filter((id) => result.data.links.some((l) => l.itemId === id && l.url !== null))));
  }, [api, detail.id]);

  // loaded again whenever the case is (its refresh button, or after any action on it)
  useEffect(() => {
    void load();
  }, [load, detail]);

  const links = data?.links ?? [];
  const toggle = (itemId: number, on: boolean) =>
    setChosen((before) => {
      const next = new Set(before);
      if (on) next.add(itemId);
      else next.delete(itemId);
      return next;
    });

  return (
    <section className="staff-section" aria-labelledby="takedown-title" data-testid="case-takedowns">
      <h2 id="takedown-title">{tr('takedown.title')}</h2>
      <FailureText words={loadFailure} testId="takedowns-load-error" />
      {data !== null && links.length === 0 && <p className="hint">{tr('takedown.none')}</p>}
      {links.length > 0 && (
        <>
          {detail.may.work && <p className="hint">{tr('takedown.intro')}</p>}
          <ul className="staff-takedowns" data-testid="takedown-links">
            {links.map((link, index) => (
              <LinkRow key={link.itemId} link={link} n={index + 1} chosen={chosen.has(link.itemId)} onToggle={detail.may.work ? toggle : null} caseId={detail.id} reload={load} />
            ))}
          </ul>
          {detail.may.work && choosable(links).length > 0 && (
            <Actions caseId={detail.id} country={detail.country} links={links} chosen={chosen} reload={load} />
          )}
        </>
      )}
      {data !== null && data.notices.length > 0 && <Notices caseId={detail.id} notices={data.notices} mayWork={detail.may.work} reload={load} />}
      {data !== null && data.replies.length > 0 && (
        <>
          <h3>{tr('takedown.replies')}</h3>
          <ul className="staff-replies" data-testid="takedown-replies">
            {data.replies.map((r) => (
              <li key={r.id}>
                <p className="hint">{r.receivedAt}</p>
                <p className="staff-prewrap">{r.body}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function LinkRow({ link, n, chosen, onToggle, caseId, reload }: { link: TakedownView; n: number; chosen: boolean; onToggle: ((itemId: number, on: boolean) => void) | null; caseId: number; reload: () => Promise<void> }) {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const locale = staffLocale(language);
  const action = useAction();
  const label = tr('item.url', { n });
  const href = link.url === null ? null : safeLinkHref(link.url);
  const decide = async (confirm: boolean) => {
    const done = await action.run(() => (confirm ? api.moveTakedowns(caseId, [link.itemId], 'removed') : api.dismissRemoval(caseId, [link.itemId])), { done: () => ({ key: 'takedown.moved' }) });
    if (done !== null) await reload();
  };
  return (
    <li className={`staff-takedown staff-takedown-${link.state}`} data-testid="takedown-link" data-item-id={link.itemId} data-state={link.state}>
      {onToggle !== null && link.url !== null ? (
        <CheckboxField label={tr('takedown.select', { label })} checked={chosen} onChange={(on) => onToggle(link.itemId, on)} testId={`takedown-choose-${link.itemId}`} />
      ) : (
        <h3>{label}</h3>
      )}
      {link.url !== null && (
        <p className="staff-url">
          {href === null ? <code>{link.url}</code> : <a href={href} target="_blank" rel={EXTERNAL_LINK_REL} referrerPolicy="no-referrer"><code>{link.url}</code></a>}
        </p>
      )}
      <p>
        <span className="staff-badge" data-testid="takedown-state">
          {tr(`takedown.state.${link.state}`)}
        </span>{' '}
        <span className="hint">{tr('takedown.since', { when: formatWhen(link.stateAt, locale) })}</span>
      </p>
      <p data-testid="takedown-host">
        {link.host === null
          ? tr('takedown.host.unknown', { hostname: link.hostname ?? '—' })
          : tr(link.host.confidence === 'confirmed' ? 'takedown.host' : 'takedown.host.unconfirmed', { host: link.host.name })}
      </p>
      <ul className="staff-facts-inline">
        {link.reminderDueAt !== null && <li>{tr('takedown.reminderDue', { when: formatWhen(link.reminderDueAt, locale) })}</li>}
        {link.escalationDueAt !== null && <li>{tr('takedown.escalationDue', { when: formatWhen(link.escalationDueAt, locale) })}</li>}
        {link.escalatedTo.length > 0 && <li>{tr('takedown.escalatedTo', { targets: link.escalatedTo.map((t) => tr(`escalation.${t}`)).join(', ') })}</li>}
        {link.lastCheck !== null && (
          <li data-testid="takedown-check">{tr('takedown.check', { when: formatWhen(link.lastCheck.at, locale), outcome: tr(`takedown.check.${link.lastCheck.outcome}`), detail: link.lastCheck.detail })}</li>
        )}
      </ul>
      {link.removalProposedAt !== null && onToggle !== null && (
        <div className="staff-callout" data-testid="takedown-removal-proposed">
          <p>{tr('takedown.removalProposed')}</p>
          <div className="staff-actions">
            <button type="button" className="button-secondary" disabled={action.pending} onClick={() => void decide(true)} data-testid="takedown-confirm-removal">
              {tr('takedown.confirmRemoval')}
            </button>
            <button type="button" className="button-quiet" disabled={action.pending} onClick={() => void decide(false)} data-testid="takedown-dismiss-removal">
              {tr('takedown.dismissRemoval')}
            </button>
          </div>
          <Feedback state={action.state} testId={`takedown-removal-${link.itemId}`} />
        </div>
      )}
    </li>
  );
}

type LanguageChoice = Language | 'auto';

function Actions({ caseId, country, links, chosen, reload }: { caseId: number; country: 'FR' | 'BE' | 'other'; links: readonly TakedownView[]; chosen: ReadonlySet<number>; reload: () => Promise<void> }) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [language, setLanguage] = useState<LanguageChoice>('auto');
  const [grouping, setGrouping] = useState<'per_host' | 'per_link'>('per_host');
  const [kind, setKind] = useState<'notice' | 'reminder'>('notice');
  const [previews, setPreviews] = useState<readonly NoticePreview[]>([]);
  const [target, setTarget] = useState<EscalationTarget>(TARGETS_BY_COUNTRY[country][0] ?? 'pharos');
  const notices = useAction();
  const moves = useAction();
  const escalation = useAction();
  const itemIds = [...chosen];
  const request = () => ({ itemIds, grouping, kind, ...(language === 'auto' ? {} : { language }) });
  const none = itemIds.length === 0;

  const preview = async () => {
    const data = await notices.run(() => api.previewNotices(caseId, request()));
    setPreviews(data?.notices ?? []);
  };
  const send = async () => {
    const data = await notices.run(() => api.createNotices(caseId, request()), { done: () => ({ key: 'takedown.sent' }) });
    if (data === null) return;
    setPreviews([]);
    await reload();
  };
  const move = async (to: TakedownState) => {
    const done = await moves.run(() => api.moveTakedowns(caseId, itemIds, to), { done: () => ({ key: 'takedown.moved' }) });
    if (done !== null) await reload();
  };
  const recheck = async () => {
    const done = await moves.run(() => api.recheck(caseId, itemIds), { done: () => ({ key: 'takedown.rechecked' }) });
    if (done !== null) await reload();
  };
  const escalate = async () => {
    const done = await escalation.run(() => api.escalate(caseId, itemIds, target), { done: () => ({ key: 'takedown.escalated' }) });
    if (done !== null) await reload();
  };

  return (
    <div className="staff-takedown-actions" data-testid="takedown-actions">
      <p role="status" className="hint" data-testid="takedown-chosen">
        {tr('takedown.selected', { count: itemIds.length })}
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void preview();
        }}
      >
        <div className="staff-inline-fields">
          <Select
            label={tr('takedown.kind')}
            value={kind}
            options={[
              { value: 'notice', label: tr('takedown.kind.notice') },
              { value: 'reminder', label: tr('takedown.kind.reminder') },
            ]}
            onChange={setKind}
            testId="takedown-kind"
          />
          <Select
            label={tr('takedown.language')}
            value={language}
            options={[
              { value: 'auto', label: tr('takedown.language.auto') },
              { value: 'fr', label: 'Français' },
              { value: 'en', label: 'English' },
            ]}
            onChange={setLanguage}
            testId="takedown-language"
          />
          <Select
            label={tr('takedown.grouping')}
            value={grouping}
            options={[
              { value: 'per_host', label: tr('takedown.grouping.per_host') },
              { value: 'per_link', label: tr('takedown.grouping.per_link') },
            ]}
            onChange={setGrouping}
            testId="takedown-grouping"
          />
        </div>
        <div className="staff-actions">
          <button type="submit" className="button-secondary" disabled={none || notices.pending} data-testid="takedown-preview">
            {tr('takedown.preview')}
          </button>
          <button type="button" className="button-primary" disabled={none || notices.pending || previews.length === 0} onClick={() => void send()} data-testid="takedown-send">
            {tr('takedown.send')}
          </button>
        </div>
        <Feedback state={notices.state} testId="takedown-notices" />
      </form>
      {previews.map((p) => (
        <article key={`${p.hostId}:${p.itemIds.join(',')}`} className="staff-notice-preview" data-testid="takedown-preview-text">
          <h3>{tr('takedown.previewTitle', { host: p.hostName, channel: p.channel, target: p.target })}</h3>
          {p.alsoReportTo.length > 0 && <p className="staff-callout">{tr('takedown.alsoReportTo', { targets: p.alsoReportTo.map((t) => tr(`escalation.${t}`)).join(', ') })}</p>}
          <pre className="staff-prewrap" lang={p.language}>
            {p.text}
          </pre>
        </article>
      ))}

      <h3>{tr('takedown.move')}</h3>
      <div className="staff-actions">
        {commonMoves(links, chosen).map((to) => (
          <button key={to} type="button" className="button-secondary" disabled={moves.pending} onClick={() => void move(to)} data-testid={`takedown-move-${to}`}>
            {tr('takedown.moveTo', { state: tr(`takedown.state.${to}`) })}
          </button>
        ))}
        <button type="button" className="button-quiet" disabled={none || moves.pending} onClick={() => void recheck()} data-testid="takedown-recheck">
          {tr('takedown.recheck')}
        </button>
      </div>
      <Feedback state={moves.state} testId="takedown-moves" />

      <h3>{tr('takedown.escalate')}</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void escalate();
        }}
      >
        <Select
          label={tr('takedown.escalate.target')}
          value={target}
          options={TARGETS_BY_COUNTRY[country].map((t) => ({ value: t, label: tr(`escalation.${t}`) }))}
          onChange={setTarget}
          testId="takedown-escalate-target"
        />
        <div className="staff-actions">
          <button type="submit" className="button-secondary" disabled={none || escalation.pending} data-testid="takedown-escalate">
            {tr('takedown.escalate.button')}
          </button>
        </div>
        <Feedback state={escalation.state} testId="takedown-escalation" />
      </form>

      <ReplyForm caseId={caseId} itemIds={itemIds} reload={reload} />
    </div>
  );
}

function ReplyForm({ caseId, itemIds, reload }: { caseId: number; itemIds: readonly number[]; reload: () => Promise<void> }) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const zone = deviceTimeZone();
  const [body, setBody] = useState('');
  const [received, setReceived] = useState(() => isoToLocalInput(new Date().toISOString(), zone));
  const [outcome, setOutcome] = useState<'none' | 'acknowledged' | 'removed' | 'refused'>('none');
  const action = useAction();
  const submit = async () => {
    const receivedAt = localInputToIso(received, zone);
    if (receivedAt === null) return action.fail({ key: 'deadline.invalid' });
    const done = await action.run(() => api.addReply(caseId, { itemIds, body, receivedAt, outcome: outcome === 'none' ? null : outcome }), { done: () => ({ key: 'takedown.reply.added' }) });
    if (done === null) return;
    setBody('');
    setOutcome('none');
    await reload();
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      data-testid="takedown-reply"
    >
      <h3>{tr('takedown.reply')}</h3>
      <TextArea label={tr('takedown.reply.body')} value={body} onChange={setBody} maxLength={20_000} testId="takedown-reply-body" />
      <div className="staff-inline-fields">
        <TextInput type="datetime-local" label={tr('takedown.reply.receivedAt')} value={received} onChange={setReceived} testId="takedown-reply-received" />
        <Select
          label={tr('takedown.reply.outcome')}
          value={outcome}
          options={[
            { value: 'none', label: tr('takedown.reply.outcome.none') },
            { value: 'acknowledged', label: tr('takedown.state.acknowledged') },
            { value: 'removed', label: tr('takedown.state.removed') },
            { value: 'refused', label: tr('takedown.state.refused') },
          ]}
          onChange={setOutcome}
          testId="takedown-reply-outcome"
        />
      </div>
      <div className="staff-actions">
        <button type="submit" className="button-secondary" disabled={itemIds.length === 0 || body.trim() === '' || action.pending} data-testid="takedown-reply-add">
          {tr('takedown.reply.add')}
        </button>
      </div>
      <Feedback state={action.state} testId="takedown-reply" />
    </form>
  );
}

function Notices({ caseId, notices, mayWork, reload }: { caseId: number; notices: readonly NoticeView[]; mayWork: boolean; reload: () => Promise<void> }) {
  const { tr } = useStaffI18n();
  return (
    <>
      <h3>{tr('takedown.notices')}</h3>
      <ul className="staff-notices" data-testid="takedown-notices">
        {notices.map((n) => (
          <NoticeRow key={n.id} caseId={caseId} notice={n} mayWork={mayWork} reload={reload} />
        ))}
      </ul>
    </>
  );
}

function NoticeRow({ caseId, notice, mayWork, reload }: { caseId: number; notice: NoticeView; mayWork: boolean; reload: () => Promise<void> }) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const action = useAction();
  const [copied, setCopied] = useState(false);
  const to = notice.escalationTarget !== null ? tr(`escalation.${notice.escalationTarget}`) : (notice.hostName ?? notice.target);
  const decide = async (outcome: 'submitted' | 'sent' | 'cancelled' | 'resend') => {
    const done = await action.run(() => api.noticeOutcome(caseId, notice.id, outcome), { done: () => ({ key: 'takedown.notice.updated' }) });
    if (done !== null) await reload();
  };
  const copy = async () => {
    if (notice.text === null) return;
    try {
      await navigator.clipboard.writeText(notice.text);
      setCopied(true);
    } catch {
      // no clipboard here (permissions): the text stays selectable below
    }
  };
  const form = notice.channel !== 'email' ? safeLinkHref(notice.target) : null;
  const buttons: { outcome: 'submitted' | 'sent' | 'cancelled' | 'resend'; key: 'takedown.notice.submitted' | 'takedown.notice.foundSent' | 'takedown.notice.resend' | 'takedown.notice.cancel' }[] =
    notice.state === 'to_submit'
      ? [
          { outcome: 'submitted', key: 'takedown.notice.submitted' },
          { outcome: 'cancelled', key: 'takedown.notice.cancel' },
        ]
      : notice.state === 'uncertain'
        ? [
            { outcome: 'sent', key: 'takedown.notice.foundSent' },
            { outcome: 'resend', key: 'takedown.notice.resend' },
            { outcome: 'cancelled', key: 'takedown.notice.cancel' },
          ]
        : notice.state === 'failed'
          ? [
              { outcome: 'resend', key: 'takedown.notice.resend' },
              { outcome: 'cancelled', key: 'takedown.notice.cancel' },
            ]
          : [];
  return (
    <li className={`staff-notice staff-notice-${notice.state}`} data-testid="takedown-notice" data-notice-id={notice.id} data-state={notice.state}>
      <p>{tr('takedown.notice.line', { kind: tr(`takedown.notice.kind.${notice.kind}`), id: notice.id, to, state: tr(`takedown.notice.state.${notice.state}`) })}</p>
      {notice.messageId !== null && notice.state === 'uncertain' && <p className="hint">{tr('takedown.notice.messageId', { id: notice.messageId })}</p>}
      {notice.text !== null && (
        <details>
          <summary>{tr('takedown.notice.show')}</summary>
          <pre className="staff-prewrap" lang={notice.language} data-testid="takedown-notice-text">
            {notice.text}
          </pre>
        </details>
      )}
      <div className="staff-actions">
        {notice.text !== null && notice.state === 'to_submit' && (
          <button type="button" className="button-quiet" onClick={() => void copy()} data-testid="takedown-notice-copy">
            {tr('takedown.notice.copy')}
          </button>
        )}
        {form !== null && notice.state === 'to_submit' && (
          <a href={form} target="_blank" rel={EXTERNAL_LINK_REL} referrerPolicy="no-referrer" data-testid="takedown-notice-form">
            {tr('takedown.notice.openForm')}
          </a>
        )}
        {notice.text !== null && (
          <a href={api.noticePdfHref(caseId, notice.id)} download data-testid="takedown-notice-pdf">
            {tr('takedown.notice.pdf')}
          </a>
        )}
        {mayWork &&
          buttons.map((b) => (
            <button key={b.outcome} type="button" className={b.outcome === 'cancelled' ? 'button-quiet' : 'button-secondary'} disabled={action.pending} onClick={() => void decide(b.outcome)} data-testid={`takedown-notice-${b.outcome}`}>
              {tr(b.key)}
            </button>
          ))}
      </div>
      <p role="status" className="staff-status">
        {copied ? tr('takedown.notice.copied') : ''}
      </p>
      <Feedback state={action.state} testId={`takedown-notice-${notice.id}`} />
    </li>
  );
}
