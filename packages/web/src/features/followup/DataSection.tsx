// The person's data: download everything Halte holds (GET /api/followup/export, saved through a Blob),
// and withdraw the report, behind a confirmation that says exactly what is erased, what is kept and why,
// and that it cannot be undone.
import type { FollowupView } from '@halte/contract';
import { useEffect, useRef, useState } from 'react';

import { exportFollowUp, withdrawCase } from '../../api/client';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';
import { downloadText } from '../report/credentials';
import { Failure } from './Failure';
import type { FollowUpCase } from './useFollowUpCase';

type Work = { readonly status: 'idle' | 'working' | 'done' } | { readonly status: 'failed'; readonly messages: readonly MessageKey[] };

/** The export's file name: the reference only (nothing on the device says "Halte" to someone browsing it). */
export function exportFileName(reference: string): string {
  return `${reference.replace(/[^A-Za-z0-9-]/g, '')}.json`;
}

export function DataSection({ view, followUp, canWithdraw }: { view: FollowupView; followUp: FollowUpCase; canWithdraw: boolean }) {
  const { t } = useI18n();
  const [exporting, setExporting] = useState<Work>({ status: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Work>({ status: 'idle' });
  const confirmTitle = useRef<HTMLHeadingElement>(null);
  const withdrawButton = useRef<HTMLButtonElement>(null);
  const toggled = useRef(false);

  useEffect(() => {
    // After the person opens or cancels the confirmation (not when the section first shows).
    if (!toggled.current) return;
    if (confirming) confirmTitle.current?.focus();
    else withdrawButton.current?.focus();
  }, [confirming]);

  const toggle = (open: boolean) => {
    toggled.current = true;
    setWithdrawing({ status: 'idle' });
    setConfirming(open);
  };

  const onExport = async () => {
    if (exporting.status === 'working') return;
    setExporting({ status: 'working' });
    const result = await exportFollowUp();
    if (!result.ok) {
      const messages = followUp.failed(result.failure);
      if (messages !== null) setExporting({ status: 'failed', messages });
      return;
    }
    downloadText(result.data, exportFileName(view.reference), 'application/json;charset=utf-8');
    setExporting({ status: 'done' });
  };

  const onWithdraw = async () => {
    if (withdrawing.status === 'working') return;
    setWithdrawing({ status: 'working' });
    const result = await withdrawCase();
    if (result.ok) return followUp.withdrawn(view.reference);
    const messages = followUp.failed(result.failure);
    if (messages !== null) setWithdrawing({ status: 'failed', messages });
  };

  const exportButton = (
    <button type="button" className="button-secondary" onClick={() => void onExport()} disabled={exporting.status === 'working'} aria-describedby="export-hint">
      {t('case.export')}
    </button>
  );
  return (
    <section aria-labelledby="data-title">
      <h2 id="data-title">{t('case.data.title')}</h2>
      <div className="actions">{exportButton}</div>
      <p id="export-hint" className="hint">
        {t('case.exportHint')}
      </p>
      <p role="status">{exporting.status === 'working' ? t('case.exporting') : exporting.status === 'done' ? t('case.exported') : ''}</p>
      <div role="alert">{exporting.status === 'failed' && <Failure messages={exporting.messages} />}</div>

      {canWithdraw &&
        (confirming ? (
          <div className="confirm" id="withdraw-confirm">
            <h3 id="withdraw-title" ref={confirmTitle} tabIndex={-1}>
              {t('withdraw.title')}
            </h3>
            <p>{t('withdraw.intro')}</p>
            <ul className="confirm-list">
              <li>{t('withdraw.erased')}</li>
              <li>{t('withdraw.kept')}</li>
              <li>{t('withdraw.closed')}</li>
            </ul>
            <p className="warning">{t('withdraw.final')}</p>
            <p>{t('withdraw.exportFirst')}</p>
            <div className="actions confirm-actions">
              <button type="button" className="button-danger" onClick={() => void onWithdraw()} disabled={withdrawing.status === 'working'}>
                {t('withdraw.confirm')}
              </button>
              <button type="button" className="button-secondary" onClick={() => toggle(false)} disabled={withdrawing.status === 'working'}>
                {t('withdraw.cancel')}
              </button>
            </div>
            <p role="status">{withdrawing.status === 'working' ? t('withdraw.sending') : ''}</p>
            <div role="alert">{withdrawing.status === 'failed' && <Failure messages={withdrawing.messages} />}</div>
          </div>
        ) : (
          <>
            <div className="actions">
              <button ref={withdrawButton} type="button" className="button-quiet" onClick={() => toggle(true)} aria-describedby="withdraw-hint">
                {t('case.withdraw')}
              </button>
            </div>
            <p id="withdraw-hint" className="hint">
              {t('case.withdrawHint')}
            </p>
          </>
        ))}
    </section>
  );
}
