import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';

/** What went wrong, in the person's words (put it inside a role="alert" region that stays mounted). */
export function Failure({ messages }: { messages: readonly MessageKey[] }) {
  const { t } = useI18n();
  if (messages.length === 0) return null;
  return (
    <div className="failure">
      {messages.map((key) => (
        <p key={key}>{t(key)}</p>
      ))}
    </div>
  );
}
