// Form controls with their label, hint and error wired for assistive technologies. Every control of
// the app goes through these, so no field is ever left without a label.
import { useId, type ReactNode } from 'react';

/** The id a field's control (or group) carries, to move focus to it when it needs an answer. */
export function fieldId(name: string): string {
  return `field-${name}`;
}

/** Moves focus to a field's control, or to the first control of a group. */
export function focusField(name: string): void {
  const element = document.getElementById(fieldId(name));
  if (element === null) return;
  const control = element.matches('input, select, textarea, button') ? element : element.querySelector<HTMLElement>('input, select, textarea, button');
  (control ?? element).focus();
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string');
  return list.length > 0 ? list.join(' ') : undefined;
}

export function ErrorText({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="field-error">
      {children}
    </p>
  );
}

export interface Choice<V extends string> {
  readonly value: V;
  readonly label: string;
}

interface ChoiceGroupProps<V extends string> {
  readonly name: string;
  readonly legend: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly choices: readonly Choice<V>[];
  readonly legendClassName?: string;
}

export function RadioGroup<V extends string>(props: ChoiceGroupProps<V> & { readonly value: V | null; readonly onChange: (value: V) => void }) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  const errorId = props.error === undefined ? undefined : `${id}-error`;
  return (
    <fieldset id={fieldId(props.name)} className="choices" aria-describedby={describedBy(hintId, errorId)}>
      <legend className={props.legendClassName}>{props.legend}</legend>
      {props.hint !== undefined && <p id={hintId} className="hint">{props.hint}</p>}
      {props.error !== undefined && errorId !== undefined && <ErrorText id={errorId}>{props.error}</ErrorText>}
      {props.choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input
            type="radio"
            name={`${id}-${props.name}`}
            value={choice.value}
            checked={props.value === choice.value}
            aria-invalid={props.error === undefined ? undefined : true}
            onChange={() => props.onChange(choice.value)}
          />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function CheckboxGroup<V extends string>(
  props: ChoiceGroupProps<V> & { readonly values: readonly V[]; readonly onChange: (values: V[]) => void; readonly groupId?: string | undefined },
) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  const errorId = props.error === undefined ? undefined : `${id}-error`;
  const toggle = (value: V, on: boolean) => {
    const next = props.values.filter((v) => v !== value);
    props.onChange(on ? [...next, value] : next);
  };
  return (
    <fieldset id={props.groupId} className="choices" aria-describedby={describedBy(hintId, errorId)}>
      <legend className={props.legendClassName}>{props.legend}</legend>
      {props.hint !== undefined && <p id={hintId} className="hint">{props.hint}</p>}
      {props.error !== undefined && errorId !== undefined && <ErrorText id={errorId}>{props.error}</ErrorText>}
      {props.choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input
            type="checkbox"
            name={props.name}
            value={choice.value}
            checked={props.values.includes(choice.value)}
            onChange={(event) => toggle(choice.value, event.currentTarget.checked)}
          />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function Checkbox(props: {
  readonly name: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className="choice-block">
      <label className="choice">
        <input
          id={fieldId(props.name)}
          type="checkbox"
          checked={props.checked}
          aria-describedby={hintId}
          onChange={(event) => props.onChange(event.currentTarget.checked)}
        />
        <span>{props.label}</span>
      </label>
      {props.hint !== undefined && (
        <p id={hintId} className="hint hint-under-choice">
          {props.hint}
        </p>
      )}
    </div>
  );
}

type InputProps = {
  readonly name: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'text' | 'email' | 'tel' | 'url' | 'password';
  readonly inputMode?: 'text' | 'email' | 'tel' | 'url' | 'numeric';
  readonly autoComplete?: string;
  readonly maxLength?: number;
  readonly spellCheck?: boolean;
  readonly autoCapitalize?: 'off' | 'characters' | 'sentences';
  readonly multiline?: boolean;
  readonly after?: ReactNode;
};

export function TextField(props: InputProps) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  const errorId = props.error === undefined ? undefined : `${id}-error`;
  const common = {
    id: fieldId(props.name),
    name: props.name,
    value: props.value,
    'aria-describedby': describedBy(hintId, errorId),
    'aria-invalid': props.error === undefined ? undefined : true,
    maxLength: props.maxLength,
    spellCheck: props.spellCheck,
    autoCapitalize: props.autoCapitalize,
    autoComplete: props.autoComplete ?? 'off',
  } as const;
  return (
    <div className="field">
      <label htmlFor={fieldId(props.name)}>{props.label}</label>
      {props.hint !== undefined && <p id={hintId} className="hint">{props.hint}</p>}
      {props.error !== undefined && errorId !== undefined && <ErrorText id={errorId}>{props.error}</ErrorText>}
      {props.multiline === true ? (
        <textarea {...common} rows={6} onChange={(event) => props.onChange(event.currentTarget.value)} />
      ) : (
        <input {...common} type={props.type ?? 'text'} inputMode={props.inputMode} onChange={(event) => props.onChange(event.currentTarget.value)} />
      )}
      {props.after}
    </div>
  );
}
