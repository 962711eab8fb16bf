// The legal qualification's list: the offences of the case's country (CaseDetail.offences), the ones
// suggested for the case first, then the others grouped by code (Code pénal, a Belgian law…), each in
// the order the legal data gives.
import type { Language, Offence } from '@halte/contract';

export interface OffenceGroup {
  /** null: the suggested ones (whatever their code) */
  readonly code: string | null;
  readonly offences: readonly Offence[];
}

export function groupOffences(offences: readonly Offence[]): OffenceGroup[] {
  const groups: OffenceGroup[] = [];
  const suggested = offences.filter((o) => o.suggested);
  if (suggested.length > 0) groups.push({ code: null, offences: suggested });
  const byCode = new Map<string, Offence[]>();
  for (const offence of offences) {
    if (offence.suggested) continue;
    const list = byCode.get(offence.code);
    if (list === undefined) byCode.set(offence.code, [offence]);
    else list.push(offence);
  }
  for (const [code, list] of byCode) groups.push({ code, offences: list });
  return groups;
}

export function offenceTitle(offence: Offence, language: Language): string {
  return language === 'fr' ? offence.titleFr : offence.titleEn;
}

export function offenceDescription(offence: Offence, language: Language): string {
  return language === 'fr' ? offence.descriptionFr : offence.descriptionEn;
}

/** The maximum penalty in the UI language, falling back to the other one; null when the data has none. */
export function offencePenalty(offence: Offence, language: Language): string | null {
  return language === 'fr' ? (offence.maxPenaltyFr ?? offence.maxPenaltyEn) : (offence.maxPenaltyEn ?? offence.maxPenaltyFr);
}

/** The ids ticked after ticking or unticking `id`, in the order of `offences` (a stable request body). */
export function toggleOffence(ticked: readonly string[], id: string, on: boolean, offences: readonly Offence[]): string[] {
  const next = new Set(ticked);
  if (on) next.add(id);
  else next.delete(id);
  const known = offences.map((o) => o.id).filter((o) => next.has(o));
  // ids saved earlier that the legal data no longer lists stay, at the end: the server says whether they are still valid
  return [...known, ...[...next].filter((o) => !known.includes(o))];
}

/** Whether two selections hold the same ids, whatever their order. */
export function sameSelection(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
