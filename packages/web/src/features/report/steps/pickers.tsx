// The picker of pictures and videos, the hashing progress and the link field: shared by the report
// wizard and the follow-up's "add pictures and links".
import type { ChangeEvent, KeyboardEvent } from 'react';

import { ErrorText, fieldId, TextField } from '../../../components/fields';
import { useI18n } from '../../../i18n/i18n';

/** The native file input stays focusable and named by its label, drawn as a button in the page's language. */
export function ImagePicker({ id, name, error, onPick }: { id: string; name: string; error: string | undefined; onPick: (event: ChangeEvent<HTMLInputElement>) => void }) {
  const { t } = useI18n();
  return (
    <div className="field">
      <p id={`${id}-hint`} className="hint">
        {t('report.images.pickHint')} {t('report.images.videos')}
      </p>
      {error !== undefined && <ErrorText id={`${id}-error`}>{error}</ErrorText>}
      <input
        id={fieldId(name)}
        className="file-input"
        type="file"
        multiple
        accept="image/*,video/*"
        aria-describedby={error === undefined ? `${id}-hint` : `${id}-hint ${id}-error`}
        onChange={onPick}
      />
      <label htmlFor={fieldId(name)} className="file-button">
        {t('report.images.pick')}
      </label>
    </div>
  );
}

/** Files hashed out of files chosen; the bar also moves while a long video is being hashed (`work`). */
export function HashingProgress({ id, done, total, work = done }: { id: string; done: number; total: number; work?: number }) {
  const { t } = useI18n();
  return (
    <div className="progress" role="status">
      {total > 0 && (
        <>
          <label htmlFor={`${id}-progress`}>{t('report.images.progress', { done, total })}</label>
          <progress id={`${id}-progress`} max={total} value={Math.min(total, work)} />
        </>
      )}
    </div>
  );
}

export function LinkInput(props: {
  name: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  onAdd: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
}) {
  const { t } = useI18n();
  return (
    <div onKeyDown={props.onKeyDown}>
      <TextField
        name={props.name}
        label={t('report.links.label')}
        hint={t('report.links.hint')}
        error={props.error}
        type="url"
        inputMode="url"
        spellCheck={false}
        autoCapitalize="off"
        value={props.value}
        onChange={props.onChange}
        after={
          <button type="button" className="button-secondary" onClick={props.onAdd}>
            {t('report.links.add')}
          </button>
        }
      />
    </div>
  );
}
