// The "?" overlay: every shortcut and what it does. A modal <dialog> (focus kept inside, Escape closes).
import { useEffect, useRef } from 'react';

import type { StaffMessageKey } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { SHORTCUTS } from '../keyboard';

/** Keys shown as words (translated); the others are shown as they are. */
const KEY_WORDS: Readonly<Record<string, StaffMessageKey>> = { Enter: 'shortcuts.key.enter', Esc: 'shortcuts.key.escape' };

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { tr } = useStaffI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  const keyText = (key: string) => {
    const word = KEY_WORDS[key];
    return word === undefined ? key : tr(word);
  };
  return (
    <dialog ref={dialog} className="staff-dialog" aria-labelledby="shortcuts-title" onClose={onClose} data-testid="shortcut-help">
      <h2 id="shortcuts-title">{tr('shortcuts.title')}</h2>
      <p>{tr('shortcuts.intro')}</p>
      <table className="staff-shortcuts">
        <thead>
          <tr>
            <th scope="col">{tr('shortcuts.key')}</th>
            <th scope="col">{tr('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.what}>
              <td>
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ` ${tr('shortcuts.or')} `}
                    {key.includes(' ')
                      ? key.split(' ').map((part, i) => (
                          <span key={part}>
                            {i > 0 && ` ${tr('shortcuts.then')} `}
                            <kbd>{part}</kbd>
                          </span>
                        ))
                      : <kbd>{keyText(key)}</kbd>}
                  </span>
                ))}
              </td>
              <td>{tr(shortcut.what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="staff-actions">
        <button type="button" className="button-primary" onClick={onClose} data-testid="shortcut-help-close">
          {tr('shortcuts.closeButton')}
        </button>
      </div>
    </dialog>
  );
}
