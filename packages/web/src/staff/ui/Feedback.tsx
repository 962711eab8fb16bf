// The live regions of an action: a status line once it worked, an alert when it did not. Both stay
// mounted (empty) so screen readers announce what appears in them.
import { useStaffI18n } from '../i18n/I18n';
import type { Words } from '../i18n/catalogue';
import type { ActionState } from './useAction';

export function Feedback({ state, testId, pendingWords }: { state: ActionState; testId: string; pendingWords?: Words }) {
  const { say } = useStaffI18n();
  const done = state.status === 'done' ? state.words : state.status === 'pending' ? (pendingWords ?? null) : null;
  return (
    <>
      <p role="status" className="staff-status" data-testid={`${testId}-status`}>
        {done === null ? '' : say(done)}
      </p>
      <div role="alert" data-testid={`${testId}-error`}>
        {state.status === 'failed' && <p className="staff-failure">{say(state.words)}</p>}
      </div>
    </>
  );
}

/** Words of a failure, in an alert region (for loads rather than actions). */
export function FailureText({ words, testId }: { words: Words | null; testId: string }) {
  const { say } = useStaffI18n();
  return (
    <div role="alert" data-testid={testId}>
      {words !== null && <p className="staff-failure">{say(words)}</p>}
    </div>
  );
}
