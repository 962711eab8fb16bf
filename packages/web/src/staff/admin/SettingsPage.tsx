// Settings (settings.manage): the run-time settings, explained — the sharing of unreviewed
// fingerprints, and the takedown notices' deadlines and notifier.
import type { Settings } from '@halte/contract';
import { useEffect, useState } from 'react';

import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback } from '../ui/Feedback';
import { CheckboxField, TextInput } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';
import { useAction } from '../ui/useAction';

export function SettingsPage() {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [share, setShare] = useState(false);
  const [notices, setNotices] = useState<NoticeFields>(noticeFieldsOf(null));
  const load = useAction();
  const save = useAction();

  useEffect(() => {
    void load.run(() => api.settings()).then((data) => {
      if (data === null) return;
      setSaved(data);
      setShare(data.shareSelfSubmittedBeforeReview);
      setNotices(noticeFieldsOf(data));
    });
  }, [api, load.run]);

  const submit = async () => {
    const parsed = noticeSettingsOf(notices);
    if (parsed === null) return save.fail({ key: 'settings.notices.invalid' });
    const data = await save.run(() => api.saveSettings({ shareSelfSubmittedBeforeReview: share, ...parsed }), { done: () => ({ key: 'settings.saved' }) });
    if (data === null) return;
    setSaved(data);
    setShare(data.shareSelfSubmittedBeforeReview);
    setNotices(noticeFieldsOf(data));
  };
  const field = (key: keyof NoticeFields) => (value: string) => setNotices((n) => ({ ...n, [key]: value }));
  const changed = saved !== null && (share !== saved.shareSelfSubmittedBeforeReview || JSON.stringify(notices) !== JSON.stringify(noticeFieldsOf(saved)));

  return (
    <div className="staff-settings staff-narrow">
      <PageTitle>{tr('settings.title')}</PageTitle>
      <Feedback state={load.state} testId="settings-load" pendingWords={{ key: 'settings.loading' }} />
      {saved !== null && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <CheckboxField label={tr('settings.share.label')} hint={tr('settings.share.hint')} checked={share} onChange={setShare} testId="settings-share" />
          <h2>{tr('settings.notices.title')}</h2>
          <TextInput label={tr('settings.notices.reminder')} hint={tr('settings.notices.hours.hint')} inputMode="numeric" value={notices.reminder} onChange={field('reminder')} testId="settings-notice-reminder" />
          <TextInput label={tr('settings.notices.escalation')} inputMode="numeric" value={notices.escalation} onChange={field('escalation')} testId="settings-notice-escalation" />
          <TextInput label={tr('settings.notices.minorReminder')} inputMode="numeric" value={notices.minorReminder} onChange={field('minorReminder')} testId="settings-notice-minor-reminder" />
          <TextInput label={tr('settings.notices.minorEscalation')} inputMode="numeric" value={notices.minorEscalation} onChange={field('minorEscalation')} testId="settings-notice-minor-escalation" />
          <TextInput label={tr('settings.notices.notifierName')} value={notices.notifierName} onChange={field('notifierName')} maxLength={120} testId="settings-notifier-name" />
          <TextInput type="email" label={tr('settings.notices.notifierEmail')} value={notices.notifierEmail} onChange={field('notifierEmail')} maxLength={254} testId="settings-notifier-email" />
          <div className="staff-actions">
            <button type="submit" className="button-primary" disabled={save.pending || !changed} data-testid="settings-save">
              {tr('settings.save')}
            </button>
          </div>
          <Feedback state={save.state} testId="settings" />
        </form>
      )}
    </div>
  );
}

/** The notice settings as typed (text fields), and back. */
interface NoticeFields {
  reminder: string;
  escalation: string;
  minorReminder: string;
  minorEscalation: string;
  notifierName: string;
  notifierEmail: string;
}

function noticeFieldsOf(s: Settings | null): NoticeFields {
  return {
    reminder: s === null ? '' : String(s.noticeReminderHours),
    escalation: s === null ? '' : String(s.noticeEscalationHours),
    minorReminder: s === null ? '' : String(s.noticeMinorReminderHours),
    minorEscalation: s === null ? '' : String(s.noticeMinorEscalationHours),
    notifierName: s?.noticeNotifierName ?? '',
    notifierEmail: s?.noticeNotifierEmail ?? '',
  };
}

/** Whole hours of at least 1 (the server checks the upper bounds and the address). */
export function noticeSettingsOf(f: NoticeFields): Pick<Settings, 'noticeReminderHours' | 'noticeEscalationHours' | 'noticeMinorReminderHours' | 'noticeMinorEscalationHours' | 'noticeNotifierName' | 'noticeNotifierEmail'> | null {
  const hours = [f.reminder, f.escalation, f.minorReminder, f.minorEscalation].map((v) => (/^\s*\d{1,5}\s*$/.test(v) ? Number(v) : NaN));
  if (hours.some((h) => !Number.isInteger(h) || h < 1)) return null;
  const [noticeReminderHours, noticeEscalationHours, noticeMinorReminderHours, noticeMinorEscalationHours] = hours as [number, number, number, number];
  const email = f.notifierEmail.trim();
  return { noticeReminderHours, noticeEscalationHours, noticeMinorReminderHours, noticeMinorEscalationHours, noticeNotifierName: f.notifierName.trim(), noticeNotifierEmail: email === '' ? null : email };
}
