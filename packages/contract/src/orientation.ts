// Orientation (DESIGN flow 6): which help services fit what is happening, and why each one is shown.
// `GET /api/orientation?situations=…&age=…&country=…&danger=…`
import { z } from 'zod';

import { AgeGroup, Country, SITUATIONS, Situation } from './domain.js';

/** Each situation at most once: a longer list is a client bug or a probe, not a person. */
export const MAX_ORIENTATION_SITUATIONS = SITUATIONS.length;

/**
 * Longest accepted value of any query parameter. Every situation once, comma-separated, is about 240
 * characters; the margin covers spaces after commas. Bounding it keeps a huge query from costing work.
 */
export const MAX_ORIENTATION_PARAM_LENGTH = 512;

export const ORIENTATION_PARAMETERS = ['situations', 'age', 'country', 'danger'] as const;

// A repeated parameter arrives as an array. Refusing it (rather than taking the first or the last) means
// a client bug such as `age=minor&age=adult` cannot silently pick the wrong services.
function singleParameter(name: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `give ${name} once, as text`) })
    .max(MAX_ORIENTATION_PARAM_LENGTH, { error: 'is too long' });
}

function splitSituations(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((item) => item.trim());
}

/** Canonical order (the vocabulary's), each situation once, so equal questions get equal answers. */
function canonicalSituations(situations: readonly Situation[]): Situation[] {
  const chosen = new Set(situations);
  return SITUATIONS.filter((situation) => chosen.has(situation));
}

/**
 * The query string as Fastify parses it (strings, or arrays of strings when a parameter is repeated),
 * turned into an {@link OrientationRequest}. `situations` is a comma-separated list and may be empty or
 * absent: the answer then holds the general services. `age`, `country` and `danger` are required: a
 * missing `danger` must not quietly mean "not in danger".
 */
export const OrientationQuery = z
  .strictObject(
    {
      situations: singleParameter('situations')
        .optional()
        .transform(splitSituations)
        .pipe(
          z
            .array(z.enum(SITUATIONS, { error: 'contains an unknown situation' }))
            .max(MAX_ORIENTATION_SITUATIONS, { error: `lists more than ${MAX_ORIENTATION_SITUATIONS} situations` }),
        )
        .transform(canonicalSituations),
      age: singleParameter('age').pipe(z.enum(AgeGroup.options, { error: 'must be minor or adult' })),
      country: singleParameter('country').pipe(z.enum(Country.options, { error: 'must be FR, BE or other' })),
      danger: singleParameter('danger')
        .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
        .transform((value) => value === 'true'),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter; the parameters are ${ORIENTATION_PARAMETERS.join(', ')}` : undefined) },
  );

/** What the rules decide on, once the query is validated. */
export const OrientationRequest = z.object({
  situations: z.array(Situation).max(MAX_ORIENTATION_SITUATIONS),
  age: AgeGroup,
  country: Country,
  danger: z.boolean(),
});
export type OrientationRequest = z.infer<typeof OrientationRequest>;

/** Text shown to a person, in both languages of the interface. */
export const LocalizedText = z.object({ fr: z.string().min(1), en: z.string().min(1) });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** Where a service works. `INT`: an international tool usable from anywhere. */
export const SERVICE_COUNTRIES = ['FR', 'BE', 'INT'] as const;
export const ServiceCountry = z.enum(SERVICE_COUNTRIES);
export type ServiceCountry = z.infer<typeof ServiceCountry>;

/** Whom a service is for, as the data says: `minors` services are never shown to adults, and back. */
export const SERVICE_AUDIENCES = ['minors', 'adults', 'all'] as const;
export const ServiceAudience = z.enum(SERVICE_AUDIENCES);
export type ServiceAudience = z.infer<typeof ServiceAudience>;

export const SERVICE_KINDS = ['phone', 'web', 'sms', 'chat'] as const;
export const ServiceKind = z.enum(SERVICE_KINDS);
export type ServiceKind = z.infer<typeof ServiceKind>;

/**
 * The sections of the answer, in the order they are shown: `emergency` numbers, `crisis` lines
 * (suicidal thoughts), `youth` services, `protect` (stop the harm now: block images, block a card),
 * `support` (someone to talk to), `report` (report or complain), `escalation` (regulators, when a
 * platform does not act).
 */
export const ORIENTATION_GROUPS = ['emergency', 'crisis', 'youth', 'protect', 'support', 'report', 'escalation'] as const;
export const OrientationGroup = z.enum(ORIENTATION_GROUPS);
export type OrientationGroup = z.infer<typeof OrientationGroup>;

export const ServiceChannel = z.object({ kind: ServiceKind, contact: z.string().min(1) });
export type ServiceChannel = z.infer<typeof ServiceChannel>;

export const OrientationService = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: ServiceKind,
  contact: z.string().min(1),
  channels: z.array(ServiceChannel).min(1),
  /** As the source gives it, in French. */
  hours: z.string(),
  /** null: the sources do not say. */
  free: z.boolean().nullable(),
  anonymous: z.boolean().nullable(),
  country: ServiceCountry,
  audience: ServiceAudience,
  group: OrientationGroup,
  description: LocalizedText,
  /** Why this service is shown for this query: short, plain, never blaming. */
  reason: LocalizedText,
  /** What the service is not for, when the source says it (e.g. "not for emergencies: call 17"). */
  notFor: LocalizedText.nullable(),
  /** false: the contact or the existence of the service rests on a single unofficial source. */
  confirmed: z.boolean(),
  /** Details the sources disagree on or do not confirm, as the data words them (French). */
  unconfirmedFields: z.array(z.string()),
  hoursConfirmed: z.boolean(),
  /** Set whenever one of the three flags above is raised; show it next to the service. */
  unconfirmedNote: LocalizedText.nullable(),
  source: z.string().min(1),
});
export type OrientationService = z.infer<typeof OrientationService>;

export const OrientationResponse = z.object({
  /** The validated query: situations once each, in the vocabulary's order. */
  query: OrientationRequest,
  /** true when `danger` was set or a situation is immediate danger or suicidal crisis. */
  danger: z.boolean(),
  services: z.array(OrientationService).min(1),
  /** Things to tell the person about the list as a whole (e.g. "outside France and Belgium…"). */
  notices: z.array(LocalizedText),
  /** When the help-services data was compiled; contacts and hours change. */
  dataCompiledOn: z.string(),
});
export type OrientationResponse = z.infer<typeof OrientationResponse>;
