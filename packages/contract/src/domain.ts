// Domain vocabularies shared by the server and the web app. One name per thing (GLOSSARY.md).
import { z } from 'zod';

/** What is happening: the closed vocabulary of the help-services data (shared/legal/help-services.json). */
export const SITUATIONS = [
  'immediate_danger',
  'sextortion',
  'ncii_diffusion',
  'cyberharassment',
  'grooming',
  'romance_scam',
  'bank_fraud',
  'illegal_content',
  'unwanted_calls',
  'domestic_violence',
  'deaf_or_cannot_speak',
  'child_sexual_abuse',
  'child_protection',
  'sexual_violence',
  'suicidal_crisis',
  'phishing',
] as const;
export const Situation = z.enum(SITUATIONS);
export type Situation = z.infer<typeof Situation>;

export const AGE_GROUPS = ['minor', 'adult'] as const;
export const AgeGroup = z.enum(AGE_GROUPS);
export type AgeGroup = z.infer<typeof AgeGroup>;

/** Where the person lives: the help services and the law differ. `other` gets the international tools. */
export const COUNTRIES = ['FR', 'BE', 'other'] as const;
export const Country = z.enum(COUNTRIES);
export type Country = z.infer<typeof Country>;

export const LANGUAGES = ['fr', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/**
 * new → triaged → in progress → waiting on host/partner → closed; withdrawn is terminal (the person's
 * decision, never staff's). `waiting` means Halte waits for someone else (a host's decision, a
 * partner's answer); the person can still write.
 */
export const CASE_STATUSES = ['new', 'triaged', 'in_progress', 'waiting', 'closed', 'withdrawn'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;
