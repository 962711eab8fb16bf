// Settings (settings.manage): the one run-time setting, explained.
import type { Settings } from '@halte/contract';
import { useEffect, useState } from 'react';

import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback } from '../ui/Feedback';
import { CheckboxField } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';
import { useAction } from '../ui/useAction';

export function SettingsPage() {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [share, setShare] = useState(false);
  const load = useAction();
  const save = useAction();

  useEffect(() => {
    void load.run(() => api.settings()).then((data) => {
      if (data === null) return;
      setSaved(data);
      setShare(data.shareSelfSubmittedBeforeReview);
    });
  }, [api, load.run]);

  const submit = async () => {
    const data = await save.run(() => api.saveSettings({ shareSelfSubmittedBeforeReview: share }), { done: () => ({ key: 'settings.saved' }) });
    if (data === null) return;
    setSaved(data);
    setShare(data.shareSelfSubmittedBeforeReview);
  };

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
          <div className="staff-actions">
            <button type="submit" className="button-primary" disabled={save.pending || share === saved.shareSelfSubmittedBeforeReview} data-testid="settings-save">
              {tr('settings.save')}
            </button>
          </div>
          <Feedback state={save.state} testId="settings" />
        </form>
      )}
    </div>
  );
}
