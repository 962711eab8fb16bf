// Labelled controls of the staff area: every field has its <label>, its hint and its error wired with
// aria-describedby, and a data-testid for the end-to-end tests.
import { useId, type ReactNode, type Ref } from 'react';

function describedBy(...ids: (string | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => id !== undefined);
  return list.length > 0 ? list.join(' ') : undefined;
}

interface TextInputProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly testId: string;
  readonly type?: 'text' | 'email' | 'password' | 'search' | 'datetime-local';
  readonly name?: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly autoComplete?: string;
  readonly inputMode?: 'text' | 'email' | 'numeric' | 'search';
  readonly maxLength?: number;
  readonly required?: boolean;
  readonly disabled?: boolean;
  readonly readOnly?: boolean;
  readonly spellCheck?: boolean;
  readonly autoCapitalize?: 'off' | 'characters' | 'none';
  readonly inputRef?: Ref<HTMLInputElement>;
  readonly className?: string;
  readonly after?: ReactNode;
}

/** A field's label, then its hint and its error (their ids `<id>-hint`, `<id>-error` describe the control). */
function FieldHead(props: { id: string; label: ReactNode; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint !== undefined && (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.error !== undefined && (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </>
  );
}

export function TextInput(props: TextInputProps) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  const errorId = props.error === undefined ? undefined : `${id}-error`;
  return (
    <div className={props.className === undefined ? 'staff-field' : `staff-field ${props.className}`}>
      <FieldHead id={id} label={props.label} hint={props.hint} error={props.error} />
      <input
        id={id}
        ref={props.inputRef}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
        aria-describedby={describedBy(hintId, errorId)}
        aria-invalid={props.error === undefined ? undefined : true}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        required={props.required}
        disabled={props.disabled}
        readOnly={props.readOnly}
        spellCheck={props.spellCheck}
        autoCapitalize={props.autoCapitalize}
        data-testid={props.testId}
      />
      {props.after}
    </div>
  );
}

interface TextAreaProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly testId: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly rows?: number;
  readonly maxLength?: number;
  readonly disabled?: boolean;
  readonly lang?: string;
}

export function TextArea(props: TextAreaProps) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  const errorId = props.error === undefined ? undefined : `${id}-error`;
  return (
    <div className="staff-field">
      <FieldHead id={id} label={props.label} hint={props.hint} error={props.error} />
      <textarea
        id={id}
        value={props.value}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        disabled={props.disabled}
        lang={props.lang}
        onChange={(event) => props.onChange(event.currentTarget.value)}
        aria-describedby={describedBy(hintId, errorId)}
        aria-invalid={props.error === undefined ? undefined : true}
        data-testid={props.testId}
      />
    </div>
  );
}

export interface Option<V extends string> {
  readonly value: V;
  readonly label: string;
}

interface SelectProps<V extends string> {
  readonly label: string;
  readonly value: V;
  readonly options: readonly Option<V>[];
  readonly onChange: (value: V) => void;
  readonly testId: string;
  readonly disabled?: boolean;
  readonly hint?: string | undefined;
}

export function Select<V extends string>(props: SelectProps<V>) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className="staff-field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint !== undefined && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={hintId}
        onChange={(event) => {
          const chosen = props.options.find((option) => option.value === event.currentTarget.value);
          if (chosen !== undefined) props.onChange(chosen.value);
        }}
        data-testid={props.testId}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField(props: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; testId: string; disabled?: boolean; hint?: string; name?: string; value?: string }) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className="staff-check">
      <input
        id={id}
        type="checkbox"
        name={props.name}
        value={props.value}
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={hintId}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
        data-testid={props.testId}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.hint !== undefined && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}
