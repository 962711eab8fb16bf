// An inline confirmation (closing a case, sending an answer, disabling an account…): the question, then
// Confirm and Cancel. Focus moves to it when it appears, so keyboard and screen-reader users meet it.
import { useEffect, useId, useRef, type ReactNode } from 'react';

import { useStaffI18n } from '../i18n/I18n';

export function Confirm(props: {
  question: string;
  details?: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  pending?: boolean;
  testId: string;
}) {
  const { tr } = useStaffI18n();
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, []);
  return (
    <div ref={box} className="staff-confirm" role="group" aria-labelledby={id} tabIndex={-1} data-testid={props.testId}>
      <p id={id} className="staff-confirm-question">
        {props.question}
      </p>
      {props.details}
      <div className="staff-actions">
        <button type="button" className="button-primary" onClick={props.onConfirm} disabled={props.pending === true} data-testid={`${props.testId}-yes`}>
          {props.confirmLabel ?? tr('common.confirm')}
        </button>
        <button type="button" className="button-secondary" onClick={props.onCancel} data-testid={`${props.testId}-no`}>
          {tr('common.cancel')}
        </button>
      </div>
    </div>
  );
}
