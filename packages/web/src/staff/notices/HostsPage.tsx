// The host directory: where each service takes notices, its country and regulator, where the contact
// came from and when it was checked. Everyone on the team reads it; admins (hosts.manage) add and edit
// entries — an unconfirmed contact is marked as such wherever a notice is prepared.
import type { HostEntryView } from '@halte/contract';
import { useCallback, useEffect, useState } from 'react';

import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback, FailureText } from '../ui/Feedback';
import { CheckboxField, TextArea, TextInput } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';
import { useAction } from '../ui/useAction';
import { emptyHostForm, hostFormOf, hostInputOf, type HostForm } from './takedowns';

export function HostsPage() {
  const { tr } = useStaffI18n();
  const { api, can } = useStaffSession();
  const [hosts, setHosts] = useState<readonly HostEntryView[] | null>(null);
  const [failure, setFailure] = useState<Words | null>(null);
  const [editing, setEditing] = useState<{ form: HostForm; isNew: boolean } | null>(null);
  const mayEdit = can('hosts.manage');

  const load = useCallback(async () => {
    const result = await api.hosts();
    if (!result.ok) return setFailure(failureWords(result.failure));
    setFailure(null);
    setHosts(result.data.hosts);
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="staff-hosts">
      <PageTitle>{tr('hosts.title')}</PageTitle>
      <p className="hint">{tr('hosts.intro')}</p>
      <p role="status" className="staff-status">
        {hosts === null && failure === null ? tr('hosts.loading') : ''}
      </p>
      <FailureText words={failure} testId="hosts-error" />
      {mayEdit && editing === null && (
        <button type="button" className="button-secondary" onClick={() => setEditing({ form: emptyHostForm(new Date().toISOString().slice(0, 10)), isNew: true })} data-testid="hosts-new">
          {tr('hosts.new')}
        </button>
      )}
      {editing !== null && (
        <HostEditor
          initial={editing.form}
          isNew={editing.isNew}
          onDone={async (saved) => {
            setEditing(null);
            if (saved) await load();
          }}
        />
      )}
      {hosts !== null && (
        <ul className="staff-host-list" data-testid="hosts-list">
          {hosts.map((h) => (
            <li key={h.id} data-testid="host" data-host-id={h.id}>
              <h2>{h.name}</h2>
              <p>
                <span className={h.confidence === 'confirmed' ? 'staff-badge' : 'staff-badge staff-badge-warn'}>{tr(h.confidence === 'confirmed' ? 'hosts.confirmed' : 'hosts.unconfirmed')}</span>{' '}
                {!h.active && <span className="staff-badge staff-badge-muted">{tr('hosts.inactive')}</span>} <span className="hint">{tr('hosts.checked', { date: h.checkedAt })}</span>
              </p>
              <p className="hint">{h.domains.join(', ')}</p>
              <ul>
                {h.channels.map((c) => (
                  <li key={`${c.kind}:${c.target}`}>
                    <code>{c.kind}</code> {c.target}
                    {c.note === undefined ? '' : ` — ${c.note}`}
                  </li>
                ))}
              </ul>
              <p className="hint">
                {[h.country, h.regulator].filter((x) => x !== null).join(' · ')} {h.source}
              </p>
              {mayEdit && editing === null && (
                <button type="button" className="button-quiet" onClick={() => setEditing({ form: hostFormOf(h), isNew: false })} data-testid={`host-edit-${h.id}`}>
                  {tr('hosts.edit')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function HostEditor({ initial, isNew, onDone }: { initial: HostForm; isNew: boolean; onDone: (saved: boolean) => Promise<void> }) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [form, setForm] = useState(initial);
  const action = useAction();
  const set = <K extends keyof HostForm>(key: K) => (value: HostForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const save = async () => {
    const input = hostInputOf(form);
    if (input === null) return action.fail({ key: 'hosts.form.invalid' });
    const saved = await action.run(() => api.saveHost(input.id, input.body), { done: () => ({ key: 'hosts.saved' }) });
    if (saved !== null) await onDone(true);
  };
  return (
    <form
      className="staff-host-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      data-testid="host-editor"
    >
      <TextInput label={tr('hosts.form.id')} value={form.id} onChange={set('id')} readOnly={!isNew} maxLength={63} testId="host-id" />
      <TextInput label={tr('hosts.form.name')} value={form.name} onChange={set('name')} maxLength={120} testId="host-name" />
      <TextArea label={tr('hosts.form.domains')} value={form.domains} onChange={set('domains')} maxLength={5000} testId="host-domains" />
      <TextArea label={tr('hosts.form.channels')} value={form.channels} onChange={set('channels')} maxLength={5000} testId="host-channels" />
      <TextInput label={tr('hosts.form.country')} value={form.country} onChange={set('country')} maxLength={2} testId="host-country" />
      <TextInput label={tr('hosts.form.regulator')} value={form.regulator} onChange={set('regulator')} maxLength={120} testId="host-regulator" />
      <TextInput label={tr('hosts.form.source')} value={form.source} onChange={set('source')} maxLength={500} testId="host-source" />
      <TextInput label={tr('hosts.form.checkedAt')} value={form.checkedAt} onChange={set('checkedAt')} maxLength={10} testId="host-checked" />
      <CheckboxField label={tr('hosts.form.adult')} checked={form.adult} onChange={set('adult')} testId="host-adult" />
      <CheckboxField label={tr('hosts.form.confirmed')} checked={form.confirmed} onChange={set('confirmed')} testId="host-confirmed" />
      <CheckboxField label={tr('hosts.form.active')} checked={form.active} onChange={set('active')} testId="host-active" />
      <div className="staff-actions">
        <button type="submit" className="button-primary" disabled={action.pending} data-testid="host-save">
          {tr('hosts.form.save')}
        </button>
        <button type="button" className="button-quiet" onClick={() => void onDone(false)} data-testid="host-cancel">
          {tr('hosts.form.cancel')}
        </button>
      </div>
      <Feedback state={action.state} testId="host" />
    </form>
  );
}
