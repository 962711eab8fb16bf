// The offences a case can be qualified with: the project's copy of shared/legal/offences.json (byte for
// byte, sources included; see README.md), checked when this module loads. Several may apply to a case;
// an offence whose article or penalty is not verified carries `confirmed: false`, and every screen that
// shows it says so.
import { Situation, type Offence } from '@halte/contract';
import { z } from 'zod';

import rawOffences from './offences.json' with { type: 'json' };

const Penalty = z.object({ text_fr: z.string(), text_en: z.string(), confirmed: z.boolean() });

const OffenceRecord = z.object({
  id: z.string().regex(/^(fr|be)-[a-z0-9-]+$/),
  country: z.enum(['FR', 'BE']),
  code: z.string().min(1),
  article: z.string().min(1),
  title_fr: z.string().min(1),
  title_en: z.string().min(1),
  situations: z.array(Situation).min(1),
  victim_age: z.enum(['any', 'minor', 'minor_under_15', 'minor_under_16']),
  description_fr: z.string().min(1),
  description_en: z.string().min(1),
  max_penalty: Penalty.nullable().optional(),
  confirmed: z.boolean(),
  source: z.string().min(1),
});
type OffenceRecord = z.infer<typeof OffenceRecord>;

const OffencesFile = z.object({ schema_version: z.literal(1), compiled_on: z.string(), offences: z.array(OffenceRecord).min(1) });

export const OFFENCES: readonly OffenceRecord[] = OffencesFile.parse(rawOffences).offences;
const BY_ID = new Map(OFFENCES.map((o) => [o.id, o]));
if (BY_ID.size !== OFFENCES.length) throw new Error('offences.json: two offences share an id');

export interface QualifyingFacts {
  readonly country: 'FR' | 'BE' | 'other';
  readonly situations: readonly string[];
  readonly involvesMinor: boolean;
}

/** The case's situations and the victim's age fit the offence (a hint for the analyst, never a decision). */
function fits(o: OffenceRecord, c: QualifyingFacts): boolean {
  if (o.victim_age !== 'any' && !c.involvesMinor) return false;
  return o.situations.some((s) => c.situations.includes(s));
}

/** The offences of the case's country (none outside France and Belgium), suggested ones first, then in the data's order. */
export function offencesFor(c: QualifyingFacts): Offence[] {
  if (c.country === 'other') return [];
  const list = OFFENCES.filter((o) => o.country === c.country).map(
    (o): Offence => ({
      id: o.id,
      country: o.country,
      code: o.code,
      article: o.article,
      titleFr: o.title_fr,
      titleEn: o.title_en,
      descriptionFr: o.description_fr,
      descriptionEn: o.description_en,
      situations: o.situations,
      victimAge: o.victim_age,
      maxPenaltyFr: o.max_penalty ? `${o.max_penalty.text_fr}${o.max_penalty.confirmed ? '' : ' (non confirmé)'}` : null,
      maxPenaltyEn: o.max_penalty ? `${o.max_penalty.text_en}${o.max_penalty.confirmed ? '' : ' (unconfirmed)'}` : null,
      confirmed: o.confirmed,
      source: o.source,
      suggested: fits(o, c),
    }),
  );
  return [...list.filter((o) => o.suggested), ...list.filter((o) => !o.suggested)];
}

/** The ids that are not offences of this country (a qualification may only use the country's). */
export function unknownOffences(ids: readonly string[], country: QualifyingFacts['country']): string[] {
  return ids.filter((id) => BY_ID.get(id)?.country !== country);
}

export function offenceById(id: string): OffenceRecord | undefined {
  return BY_ID.get(id);
}
