// Orientation rules: situations × age group × country × immediate danger → the help services to show,
// in order, each with the reason it is shown. Pure: no I/O, no clock, no randomness; the data is the
// project's copy of shared/legal/help-services.json, checked when this module loads.
//
// HOW THE LIST IS BUILT (README.md says the same for non-developers; keep both true)
//
// 1. Danger. The query is "in danger" when `danger` is true or the situations include
//    `immediate_danger` or `suicidal_crisis`. Then the country's emergency numbers come first:
//      FR: 17, 112, 114 (SMS, for people who cannot speak), and 15 (SAMU) when the situation is
//          medical (suicidal crisis, sexual violence);
//      BE: 101, 112;
//      other: 112 (an entry derived from FR 112, see INT_112).
//    With `deaf_or_cannot_speak`, 114 moves to the top: a person who cannot speak cannot use 17.
//    18 (fire brigade) is never shown: fire and accidents are outside what Halte is about, and 112
//    covers them.
// 2. Eligibility. A service is shown only where it works and to whom it is for: its country is the
//    query's country or INT (`other` gets INT only); `minors` services are never shown to adults and
//    `adults` services never to minors (data field `audience`; `all` is for everyone).
// 3. Situations. An eligible service is shown when it shares a situation with the query.
//    `immediate_danger` is not matched this way (it only triggers step 1), except that a minor in
//    danger also gets the youth services tagged with it (119, Child Focus).
// 4. Youth. A minor in France always gets 3018, in Belgium always Child Focus (116 000): the main
//    service for young people, whatever the situation.
// 5. Nothing matched. When no service shares a situation with the query (no situations, or only ones
//    the data has no service for), the general services of the country are shown (GENERAL_SERVICES),
//    so that the list is never empty.
// 6. Order. By section (ORIENTATION_GROUPS): emergency, crisis, youth, protect, support, report,
//    escalation. A service is in the section of EDITORIAL_ORDER, except that a listening line chosen
//    for `suicidal_crisis` moves to `crisis`. Inside a section, the fixed editorial order below decides:
//    24/7 and national services before narrower ones, confirmed before unconfirmed. The answer does not
//    depend on the order of the situations in the query.
//
// Each service appears once, with one reason that says why it is shown for this query, and carries the
// data's flags (confirmed, unconfirmed_fields, hours_confirmed) plus a note in French and English
// whenever one of them is raised.
import {
  ORIENTATION_GROUPS,
  SITUATIONS,
  ServiceAudience,
  ServiceChannel,
  ServiceCountry,
  ServiceKind,
  Situation,
  type AgeGroup,
  type Country,
  type LocalizedText,
  type OrientationGroup,
  type OrientationRequest,
  type OrientationResponse,
  type OrientationService,
} from '@halte/contract';
import { z } from 'zod';

import rawHelpServices from './help-services.json' with { type: 'json' };

// ---------------------------------------------------------------------------------------------------
// The data

const Localized = z.object({ fr: z.string().min(1), en: z.string().min(1) });

const HelpServiceRecord = z.object({
  id: z.string().regex(/^(fr|be|int)-[a-z0-9-]+$/),
  country: ServiceCountry,
  name: z.string().min(1),
  kind: ServiceKind,
  contact: z.string().min(1),
  channels: z.array(ServiceChannel).min(1),
  hours: z.string(),
  hours_confirmed: z.boolean(),
  free: z.boolean().nullable(),
  anonymous: z.boolean().nullable(),
  audience: ServiceAudience,
  audience_note: z.string().nullable(),
  situations: z.array(Situation).min(1),
  description_fr: z.string().min(1),
  description_en: z.string().min(1),
  not_for_fr: z.string().nullable(),
  not_for_en: z.string().nullable(),
  confirmed: z.boolean(),
  unconfirmed_fields: z.array(z.string()),
  source: z.string().min(1),
});
export type HelpService = z.infer<typeof HelpServiceRecord>;

const HelpServicesFile = z.object({
  schema_version: z.literal(1),
  compiled_on: z.string().min(1),
  // A record over the enum must have every key: the data and the contract share one vocabulary.
  situations_vocabulary: z.record(Situation, Localized),
  services: z.array(HelpServiceRecord).min(1),
});

const helpServicesFile = HelpServicesFile.parse(rawHelpServices);

function dataService(id: string): HelpService {
  const service = helpServicesFile.services.find((candidate) => candidate.id === id);
  if (service === undefined) throw new Error(`help-services.json has no service "${id}"`);
  return service;
}

/**
 * 112 for a person outside France and Belgium. The data only has it as a French and a Belgian entry,
 * and a service shown for `other` must be INT; so this entry is FR 112 made international, with what
 * the data does not say (whether it works outside the EU) marked unconfirmed.
 */
const INT_112: HelpService = (() => {
  const fr112 = dataService('fr-112');
  return {
    ...fr112,
    id: 'int-112',
    country: 'INT',
    description_fr: "Numéro d'urgence valable dans toute l'Union européenne. Hors de l'Union européenne, il peut ne pas fonctionner : composez le numéro d'urgence du pays où vous êtes.",
    description_en: 'Emergency number valid across the European Union. Outside the EU it may not work: dial the emergency number of the country you are in.',
    unconfirmed_fields: ["validité hors de l'Union européenne"],
    // Only ever shown through EMERGENCY_NUMBERS.other: matching a situation must not add it next to FR 112.
    situations: [],
    source: `${fr112.source} ; entrée dérivée par Halte de fr-112 pour les personnes hors France et Belgique`,
  };
})();

/** Every service the rules can show: the data's, plus INT_112. */
export const HELP_SERVICES: readonly HelpService[] = [...helpServicesFile.services, INT_112];
export const DATA_COMPILED_ON = helpServicesFile.compiled_on;

/**
 * Section and rank of every service. Inside a section, earlier is shown first. Every service of the
 * data must be here (checked below), so a new entry cannot appear at a random place.
 */
const EDITORIAL_ORDER: readonly (readonly [id: string, group: OrientationGroup])[] = [
  ['fr-17-police', 'emergency'],
  ['fr-112', 'emergency'],
  ['fr-114', 'emergency'],
  ['fr-15-samu', 'emergency'],
  ['fr-18-pompiers', 'emergency'],
  ['be-101', 'emergency'],
  ['be-112', 'emergency'],
  ['int-112', 'emergency'],

  ['fr-3114', 'crisis'],
  ['be-prevention-suicide', 'crisis'],
  ['be-zelfmoordlijn-1813', 'crisis'],

  ['fr-3018', 'youth'],
  ['fr-119', 'youth'],
  ['be-child-focus-116000', 'youth'],
  ['be-103-ecoute-enfants', 'youth'],
  // Single unofficial source for its number: after every confirmed youth line.
  ['fr-fil-sante-jeunes', 'youth'],

  ['int-take-it-down', 'protect'],
  ['int-stopncii', 'protect'],
  ['fr-point-de-contact-disrupt', 'protect'],
  ['be-cardstop', 'protect'],

  // 24/7 and open to everyone first; 3919 is for women, so after the lines open to all.
  ['fr-pnav', 'support'],
  ['fr-116006', 'support'],
  ['fr-3919', 'support'],
  ['fr-info-escroqueries', 'support'],
  // CPVS first: after a physical assault, care and forensic evidence cannot wait.
  ['be-cpvs', 'support'],
  ['be-iefh', 'support'],
  ['be-sos-viol', 'support'],
  ['be-ecoute-violences-conjugales', 'support'],
  ['be-1712', 'support'],
  ['be-tele-accueil-107', 'support'],

  ['fr-17cyber', 'report'],
  ['fr-cybermalveillance', 'report'],
  ['fr-thesee', 'report'],
  ['fr-pharos', 'report'],
  ['fr-perceval', 'report'],
  ['fr-33700', 'report'],
  ['be-point-de-contact-spf-economie', 'report'],
  ['be-safeonweb', 'report'],
  ['be-child-focus-csam-report', 'report'],
  ['be-police-on-web', 'report'],

  ['fr-arcom', 'escalation'],
  ['be-bipt-dsa', 'escalation'],
];

const EMERGENCY_NUMBERS: Readonly<Record<Country, readonly string[]>> = {
  FR: ['fr-17-police', 'fr-112', 'fr-114'],
  BE: ['be-101', 'be-112'],
  other: ['int-112'],
};
/** Added to the FR emergency numbers when the danger is medical. */
const FR_MEDICAL_EMERGENCY = 'fr-15-samu';
const MEDICAL_SITUATIONS: readonly Situation[] = ['suicidal_crisis', 'sexual_violence'];

/** The service a minor of the country always gets (step 4). */
const YOUTH_SERVICE: Readonly<Record<Country, string | null>> = {
  FR: 'fr-3018',
  BE: 'be-child-focus-116000',
  other: null,
};

/**
 * Shown when nothing matches the situations (step 5), after the eligibility filter: the youth line, the
 * image-blocking tool for the age group (Halte exists for intimate images), and the broad help lines.
 * FR: 17Cyber rather than PHAROS or Cybermalveillance, because it is the one-stop entry that itself
 * refers to them; PHAROS is only for public illegal content.
 */
const GENERAL_SERVICES: Readonly<Record<Country, readonly string[]>> = {
  FR: ['fr-3018', 'int-take-it-down', 'int-stopncii', 'fr-pnav', 'fr-116006', 'fr-17cyber'],
  BE: ['be-child-focus-116000', 'int-take-it-down', 'int-stopncii', 'be-iefh', 'be-tele-accueil-107'],
  other: ['int-take-it-down', 'int-stopncii'],
};

const SERVICES_BY_ID = new Map(HELP_SERVICES.map((service) => [service.id, service]));
const EDITORIAL_RANK = new Map(EDITORIAL_ORDER.map(([id], rank) => [id, rank]));
const BASE_GROUP = new Map(EDITORIAL_ORDER);
const groupRank = (group: OrientationGroup): number => ORIENTATION_GROUPS.indexOf(group);

// Fail at boot (and in every test run), not in front of a person, when the data and the rules drift.
(function checkCatalogue(): void {
  if (SERVICES_BY_ID.size !== HELP_SERVICES.length) throw new Error('help-services.json: duplicate service id');
  if (BASE_GROUP.size !== EDITORIAL_ORDER.length) throw new Error('orientation rules: duplicate id in EDITORIAL_ORDER');
  for (const service of HELP_SERVICES) {
    if (!BASE_GROUP.has(service.id)) throw new Error(`orientation rules: "${service.id}" has no place in EDITORIAL_ORDER`);
    if ((service.not_for_fr === null) !== (service.not_for_en === null)) throw new Error(`help-services.json: "${service.id}" has not_for in one language only`);
  }
  const named = [...EDITORIAL_ORDER.map(([id]) => id), ...Object.values(EMERGENCY_NUMBERS).flat(), FR_MEDICAL_EMERGENCY, ...Object.values(GENERAL_SERVICES).flat()];
  for (const id of named) if (!SERVICES_BY_ID.has(id)) throw new Error(`orientation rules: unknown service "${id}"`);
})();

function serviceById(id: string): HelpService {
  const found = SERVICES_BY_ID.get(id);
  if (found === undefined) throw new Error(`orientation rules: unknown service "${id}"`);
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Words shown to the person. Short, plain, French then English; never about what the person did.

/** Short labels for "Concerne : …"; the data's vocabulary is written for staff, not for a person. */
const SITUATION_LABELS: Readonly<Record<Situation, LocalizedText>> = {
  immediate_danger: { fr: 'danger immédiat', en: 'immediate danger' },
  sextortion: { fr: 'chantage avec des images intimes', en: 'blackmail with intimate images' },
  ncii_diffusion: { fr: 'images intimes partagées sans accord', en: 'intimate images shared without consent' },
  cyberharassment: { fr: 'harcèlement en ligne', en: 'online harassment' },
  grooming: { fr: "manipulation d'un mineur en ligne", en: 'online grooming of a minor' },
  romance_scam: { fr: 'arnaque aux sentiments', en: 'romance scam' },
  bank_fraud: { fr: 'fraude bancaire ou argent perdu', en: 'bank fraud or money lost' },
  illegal_content: { fr: 'contenu illégal à signaler', en: 'illegal content to report' },
  unwanted_calls: { fr: 'SMS ou appels frauduleux', en: 'fraudulent texts or calls' },
  domestic_violence: { fr: 'violences dans le couple', en: 'partner violence' },
  deaf_or_cannot_speak: { fr: 'personnes sourdes ou qui ne peuvent pas parler', en: 'people who are deaf or cannot speak' },
  child_sexual_abuse: { fr: "images ou abus sexuels d'un mineur", en: 'sexual images or abuse of a minor' },
  child_protection: { fr: 'enfant en danger', en: 'child at risk' },
  sexual_violence: { fr: 'agression sexuelle', en: 'sexual assault' },
  suicidal_crisis: { fr: 'idées suicidaires ou détresse', en: 'suicidal thoughts or distress' },
  phishing: { fr: 'messages ou e-mails frauduleux', en: 'fraudulent messages or emails' },
};

const GROUP_LEADS: Readonly<Record<OrientationGroup, LocalizedText>> = {
  emergency: { fr: "Numéro d'urgence.", en: 'Emergency number.' },
  crisis: {
    fr: "Si vous pensez au suicide, ou si tout devient trop lourd : vous pouvez en parler à quelqu'un qui écoute.",
    en: 'If you are thinking about suicide, or everything feels too heavy: you can talk to someone who listens.',
  },
  youth: { fr: 'Service pour les moins de 18 ans et leurs proches.', en: 'A service for under-18s and the people close to them.' },
  protect: { fr: 'Pour agir tout de suite.', en: 'To act right away.' },
  support: { fr: 'Pour être écouté·e et conseillé·e.', en: 'To talk to someone and get advice.' },
  report: { fr: 'Pour signaler ce qui se passe et savoir quoi faire ensuite.', en: 'To report what is happening and learn what to do next.' },
  escalation: { fr: "Si une plateforme ne traite pas un signalement, ou ne retire pas un contenu.", en: 'If a platform does not act on a report or does not remove content.' },
};

/** Where a service's own words say more than its section's. */
const SERVICE_LEADS: Readonly<Record<string, LocalizedText>> = {
  'fr-17-police': {
    fr: 'En cas de danger maintenant : la police ou la gendarmerie peut intervenir tout de suite.',
    en: 'If you are in danger now: the police or gendarmerie can come right away.',
  },
  'fr-112': { fr: "L'autre numéro d'urgence, valable dans toute l'Union européenne.", en: 'The other emergency number, valid across the European Union.' },
  'fr-114': {
    fr: "Si vous ne pouvez pas parler (par exemple parce que quelqu'un est à côté) : écrivez au 114 par SMS.",
    en: 'If you cannot speak (for example because someone is nearby): text 114.',
  },
  'fr-15-samu': { fr: 'Pour une urgence médicale, ou si votre vie est en danger.', en: 'For a medical emergency, or if your life is in danger.' },
  'fr-18-pompiers': { fr: 'Pour un incendie ou un accident.', en: 'For a fire or an accident.' },
  'be-101': { fr: 'En cas de danger maintenant : la police peut intervenir tout de suite.', en: 'If you are in danger now: the police can come right away.' },
  'be-112': {
    fr: 'Pour une ambulance ou les pompiers. Pour la police, le 101 est plus direct.',
    en: 'For an ambulance or the fire service. For the police, 101 is more direct.',
  },
  'int-112': {
    fr: "Numéro d'urgence dans toute l'Union européenne. Ailleurs, appelez le numéro d'urgence du pays où vous êtes.",
    en: 'Emergency number across the European Union. Elsewhere, call the emergency number of the country you are in.',
  },
  'int-take-it-down': {
    fr: 'Pour faire retirer et bloquer des images intimes prises avant 18 ans. Les images restent sur votre appareil.',
    en: 'To get intimate images taken before age 18 removed and blocked. The images stay on your device.',
  },
  'int-stopncii': {
    fr: 'Pour empêcher que des images intimes soient publiées sur les plateformes partenaires. Les images restent sur votre appareil.',
    en: 'To stop intimate images from being posted on partner platforms. The images stay on your device.',
  },
  'fr-point-de-contact-disrupt': {
    fr: 'Pour faire bloquer des images intimes et demander leur retrait aux sites qui les publient.',
    en: 'To get intimate images blocked and ask the sites that show them to remove them.',
  },
  'be-cardstop': { fr: 'Pour bloquer votre carte bancaire tout de suite.', en: 'To block your bank card right away.' },
};

const YOUTH_MAIN_SERVICE: LocalizedText = { fr: 'Le service à contacter en premier pour les jeunes.', en: 'The first service to contact for young people.' };
const YOUTH_IN_DANGER: LocalizedText = { fr: 'Concerne : un enfant ou un adolescent en danger.', en: 'Relevant to: a child or teenager in danger.' };
const GENERAL_SERVICE: LocalizedText = {
  fr: "Service général : utile même si votre situation n'est pas dans la liste.",
  en: 'General service: useful even if your situation is not in the list.',
};
const GENERAL_IMAGE_TOOL: LocalizedText = { fr: 'Utile si des images intimes sont en jeu.', en: 'Useful if intimate images are involved.' };
const BE_112_DEAF: LocalizedText = {
  fr: "L'application 112.BE existe, mais on ne sait pas encore si elle est adaptée aux personnes sourdes.",
  en: 'The 112.BE app exists, but whether it works for deaf people is not yet verified.',
};

const NOT_CONFIRMED: LocalizedText = {
  fr: "Ce service n'est pas confirmé par une source officielle : vérifiez le numéro avant de compter dessus.",
  en: 'This service is not confirmed by an official source: check the number before relying on it.',
};
const HOURS_NOT_CONFIRMED: LocalizedText = { fr: 'Les horaires ne sont pas vérifiés.', en: 'The opening hours are not verified.' };
const DETAILS_NOT_CONFIRMED: LocalizedText = { fr: 'Certaines informations restent à vérifier.', en: 'Some details are still to be checked.' };

const OUTSIDE_FR_BE_NOTICE: LocalizedText = {
  fr: "Halte connaît surtout les services de France et de Belgique. Voici les outils internationaux. Pour une aide près de chez vous, contactez la police ou une association d'aide aux victimes de votre pays.",
  en: 'Halte mainly knows services in France and Belgium. Here are the international tools. For help near you, contact the police or a victim-support organisation in your country.',
};
const CHILD_SITUATIONS: readonly Situation[] = ['grooming', 'child_sexual_abuse', 'child_protection'];
const CHOOSE_MINOR_NOTICE: LocalizedText = {
  fr: 'Si la personne concernée a moins de 18 ans, choisissez « mineur » : vous verrez les services pour les jeunes, qui aident aussi les parents.',
  en: 'If the person concerned is under 18, choose “minor”: you will see the services for young people, which also help parents.',
};

// ---------------------------------------------------------------------------------------------------
// The rules

type Cause = 'danger' | 'situation' | 'youth-main' | 'youth-danger' | 'general';

interface Selection {
  readonly service: HelpService;
  readonly causes: Set<Cause>;
  readonly matched: Set<Situation>;
}

/** Danger as the rules understand it: said outright, or implied by the situations. */
export function isInDanger(request: Pick<OrientationRequest, 'danger' | 'situations'>): boolean {
  return request.danger || request.situations.includes('immediate_danger') || request.situations.includes('suicidal_crisis');
}

function servesCountry(service: Pick<HelpService, 'country'>, country: Country): boolean {
  return service.country === 'INT' || service.country === country;
}

function servesAge(service: Pick<HelpService, 'audience'>, age: AgeGroup): boolean {
  return service.audience === 'all' || service.audience === (age === 'minor' ? 'minors' : 'adults');
}

/**
 * The emergency numbers for a query in danger, in the order they are shown. Also the order inside the
 * emergency section when a number is there for a situation instead (17 for partner violence, 114 for
 * someone who cannot speak).
 */
export function emergencyNumbers(country: Country, situations: readonly Situation[]): string[] {
  const ids = [...EMERGENCY_NUMBERS[country]];
  if (country === 'FR' && situations.some((situation) => MEDICAL_SITUATIONS.includes(situation))) ids.push(FR_MEDICAL_EMERGENCY);
  if (situations.includes('deaf_or_cannot_speak') && ids.includes('fr-114')) return ['fr-114', ...ids.filter((id) => id !== 'fr-114')];
  return ids;
}

function baseGroup(id: string): OrientationGroup {
  const group = BASE_GROUP.get(id);
  if (group === undefined) throw new Error(`orientation rules: "${id}" has no place in EDITORIAL_ORDER`);
  return group;
}

function editorialRank(id: string): number {
  const rank = EDITORIAL_RANK.get(id);
  if (rank === undefined) throw new Error(`orientation rules: "${id}" has no place in EDITORIAL_ORDER`);
  return rank;
}

function groupOf(selection: Selection): OrientationGroup {
  const group = baseGroup(selection.service.id);
  return group !== 'emergency' && selection.matched.has('suicidal_crisis') ? 'crisis' : group;
}

function joinLabels(situations: readonly Situation[], language: keyof LocalizedText): string {
  const labels = situations.map((situation) => SITUATION_LABELS[situation][language]);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')}${language === 'fr' ? ' et ' : ' and '}${labels.at(-1) ?? ''}`;
}

function sentences(parts: readonly LocalizedText[]): LocalizedText {
  return { fr: parts.map((part) => part.fr).join(' '), en: parts.map((part) => part.en).join(' ') };
}

function reasonFor(selection: Selection, group: OrientationGroup, request: OrientationRequest, inDanger: boolean): LocalizedText {
  const { service: chosen, causes } = selection;
  const parts: LocalizedText[] = [SERVICE_LEADS[chosen.id] ?? GROUP_LEADS[group]];
  // Somebody in danger needs the number, not a list of situations it also covers.
  const dangerNumber = group === 'emergency' && inDanger;
  // The crisis lead already speaks of suicidal thoughts; the list only adds what else the line covers.
  const matched = SITUATIONS.filter((situation) => selection.matched.has(situation) && !(group === 'crisis' && situation === 'suicidal_crisis'));
  if (matched.length > 0 && !dangerNumber) {
    parts.push({ fr: `Concerne : ${joinLabels(matched, 'fr')}.`, en: `Relevant to: ${joinLabels(matched, 'en')}.` });
  } else if (causes.has('youth-danger')) {
    parts.push(YOUTH_IN_DANGER);
  } else if (causes.has('youth-main')) {
    parts.push(YOUTH_MAIN_SERVICE);
  } else if (causes.has('general')) {
    parts.push(group === 'protect' ? GENERAL_IMAGE_TOOL : GENERAL_SERVICE);
  }
  if (chosen.id === 'be-112' && request.situations.includes('deaf_or_cannot_speak')) parts.push(BE_112_DEAF);
  return sentences(parts);
}

function unconfirmedNoteFor(chosen: HelpService): LocalizedText | null {
  const parts: LocalizedText[] = [];
  if (!chosen.confirmed) parts.push(NOT_CONFIRMED);
  if (!chosen.hours_confirmed) parts.push(HOURS_NOT_CONFIRMED);
  if (chosen.confirmed && chosen.unconfirmed_fields.length > 0) parts.push(DETAILS_NOT_CONFIRMED);
  return parts.length === 0 ? null : sentences(parts);
}

function present(selection: Selection, group: OrientationGroup, request: OrientationRequest, inDanger: boolean): OrientationService {
  const chosen = selection.service;
  return {
    id: chosen.id,
    name: chosen.name,
    kind: chosen.kind,
    contact: chosen.contact,
    channels: chosen.channels.map((channel) => ({ kind: channel.kind, contact: channel.contact })),
    hours: chosen.hours,
    free: chosen.free,
    anonymous: chosen.anonymous,
    country: chosen.country,
    audience: chosen.audience,
    group,
    description: { fr: chosen.description_fr, en: chosen.description_en },
    reason: reasonFor(selection, group, request, inDanger),
    notFor: chosen.not_for_fr !== null && chosen.not_for_en !== null ? { fr: chosen.not_for_fr, en: chosen.not_for_en } : null,
    confirmed: chosen.confirmed,
    unconfirmedFields: [...chosen.unconfirmed_fields],
    hoursConfirmed: chosen.hours_confirmed,
    unconfirmedNote: unconfirmedNoteFor(chosen),
    source: chosen.source,
  };
}

/**
 * The help services for a situation, in the order to show them, each with the reason it is shown.
 *
 * @example
 * orient({ situations: ['sextortion'], age: 'minor', country: 'FR', danger: false })
 * // → 3018, 119, Fil Santé Jeunes, Take It Down, Point de Contact, Pnav, 116 006, 17Cyber, …
 */
export function orient(query: OrientationRequest): OrientationResponse {
  const situations = SITUATIONS.filter((situation) => query.situations.includes(situation));
  const request: OrientationRequest = { situations, age: query.age, country: query.country, danger: query.danger };
  const inDanger = isInDanger(request);
  const selections = new Map<string, Selection>();
  const select = (id: string, cause: Cause, matched: readonly Situation[] = []): void => {
    const existing = selections.get(id) ?? { service: serviceById(id), causes: new Set<Cause>(), matched: new Set<Situation>() };
    existing.causes.add(cause);
    for (const situation of matched) existing.matched.add(situation);
    selections.set(id, existing);
  };
  const eligible = HELP_SERVICES.filter((candidate) => servesCountry(candidate, request.country) && servesAge(candidate, request.age));

  if (inDanger) for (const id of emergencyNumbers(request.country, situations)) select(id, 'danger');

  const matchable = new Set<Situation>(situations.filter((situation) => situation !== 'immediate_danger'));
  let anyMatch = false;
  for (const candidate of eligible) {
    const matched = candidate.situations.filter((situation) => matchable.has(situation));
    if (matched.length > 0) {
      anyMatch = true;
      select(candidate.id, 'situation', matched);
    }
  }

  if (request.age === 'minor') {
    if (inDanger) {
      for (const candidate of eligible) {
        if (candidate.audience === 'minors' && candidate.situations.includes('immediate_danger')) select(candidate.id, 'youth-danger');
      }
    }
    const youthService = YOUTH_SERVICE[request.country];
    if (youthService !== null) select(youthService, 'youth-main');
  }

  if (!anyMatch) {
    const eligibleIds = new Set(eligible.map((candidate) => candidate.id));
    for (const id of GENERAL_SERVICES[request.country]) if (eligibleIds.has(id)) select(id, 'general');
  }

  // Emergency numbers keep the order of emergencyNumbers() (114 first for someone who cannot speak).
  const emergencyOrder = emergencyNumbers(request.country, situations);
  const rankInGroup = (id: string): number => {
    const emergencyRank = emergencyOrder.indexOf(id);
    return emergencyRank >= 0 ? emergencyRank : emergencyOrder.length + editorialRank(id);
  };
  const ordered = [...selections.values()]
    .map((selection) => ({ selection, group: groupOf(selection) }))
    .sort((a, b) => groupRank(a.group) - groupRank(b.group) || rankInGroup(a.selection.service.id) - rankInGroup(b.selection.service.id));

  const notices: LocalizedText[] = [];
  if (request.country === 'other') notices.push(OUTSIDE_FR_BE_NOTICE);
  if (request.age === 'adult' && situations.some((situation) => CHILD_SITUATIONS.includes(situation))) notices.push(CHOOSE_MINOR_NOTICE);

  return {
    query: request,
    danger: inDanger,
    services: ordered.map(({ selection, group }) => present(selection, group, request, inDanger)),
    notices,
    dataCompiledOn: DATA_COMPILED_ON,
  };
}
