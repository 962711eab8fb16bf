// How the situations of the contract are grouped on screen. `immediate_danger` is not a box to tick:
// it is its own question ("Are you in danger now?"), asked in the report and on the help page.
import type { Situation } from '@halte/contract';

export const SITUATION_GROUPS = {
  main: ['sextortion', 'ncii_diffusion', 'cyberharassment', 'grooming', 'romance_scam', 'sexual_violence', 'domestic_violence', 'child_sexual_abuse', 'child_protection'],
  other: ['bank_fraud', 'phishing', 'unwanted_calls', 'illegal_content'],
  needs: ['suicidal_crisis', 'deaf_or_cannot_speak'],
} as const satisfies Record<string, readonly Situation[]>;

export type SituationGroup = keyof typeof SITUATION_GROUPS;
export const SITUATION_GROUP_ORDER: readonly SituationGroup[] = ['main', 'other', 'needs'];

/** Situations asked as their own question rather than ticked. */
export const ASKED_SEPARATELY: readonly Situation[] = ['immediate_danger'];
