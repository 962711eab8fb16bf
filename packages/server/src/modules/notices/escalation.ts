// Where a link goes when the host does not act, or beside the notice when the content involves a
// minor: authorities and trusted flaggers, with the help service (orientation/help-services.json) each
// one is taken from — its contact and its sources live there.
import type { EscalationTarget } from '@halte/contract';

export interface EscalationEntry {
  readonly id: EscalationTarget;
  readonly country: 'FR' | 'BE';
  readonly name: string;
  /** what it is for, in the analyst's words */
  readonly purposeFr: string;
  readonly purposeEn: string;
  /** every target takes reports through a form: the analyst pastes the text Halte prepares */
  readonly form: string;
  /** the help service (orientation data) this entry comes from: its sources and status */
  readonly helpService: string;
  /** reports content involving a minor (child-protection path) */
  readonly childProtection: boolean;
}

export const ESCALATIONS: Readonly<Record<EscalationTarget, EscalationEntry>> = {
  pharos: {
    id: 'pharos',
    country: 'FR',
    name: 'PHAROS',
    purposeFr: 'signalement officiel des contenus illicites publics (police et gendarmerie)',
    purposeEn: 'the official French portal for reporting illegal public content (police and gendarmerie)',
    form: 'https://www.internet-signalement.gouv.fr',
    helpService: 'fr-pharos',
    childProtection: true,
  },
  e_enfance_3018: {
    id: 'e_enfance_3018',
    country: 'FR',
    name: '3018 (e-Enfance)',
    purposeFr: 'signaleur de confiance pour les jeunes : retrait accéléré auprès des plateformes',
    purposeEn: 'trusted flagger for young people: faster removal by the platforms',
    form: 'https://www.3018.fr',
    helpService: 'fr-3018',
    childProtection: true,
  },
  point_de_contact: {
    id: 'point_de_contact',
    country: 'FR',
    name: 'Point de Contact (Disrupt)',
    purposeFr: 'signaleur de confiance : interruption de la diffusion de contenus intimes',
    purposeEn: 'trusted flagger: stopping the spread of intimate content',
    form: 'https://www.pointdecontact.net/disrupt/',
    helpService: 'fr-point-de-contact-disrupt',
    childProtection: false,
  },
  arcom: {
    id: 'arcom',
    country: 'FR',
    name: 'Arcom',
    purposeFr: 'coordinateur pour les services numériques : plainte contre une plateforme qui ne respecte pas le DSA',
    purposeEn: 'Digital Services Coordinator: a complaint against a platform that does not comply with the DSA',
    form: 'https://www.arcom.fr',
    helpService: 'fr-arcom',
    childProtection: false,
  },
  child_focus: {
    id: 'child_focus',
    country: 'BE',
    name: 'Child Focus',
    purposeFr: "point de contact civil pour les images d'abus sexuels d'enfants",
    purposeEn: 'the civil reporting point for child sexual abuse images',
    form: 'https://www.imagesdabus.be',
    helpService: 'be-child-focus-csam-report',
    childProtection: true,
  },
  ibpt: {
    id: 'ibpt',
    country: 'BE',
    name: 'IBPT/BIPT',
    purposeFr: 'coordinateur pour les services numériques : plainte contre une plateforme qui ne respecte pas le DSA',
    purposeEn: 'Digital Services Coordinator: a complaint against a platform that does not comply with the DSA',
    form: 'https://www.bipt.be',
    helpService: 'be-bipt-dsa',
    childProtection: false,
  },
};

/**
 * Where content involving a minor is also reported, whatever the host does: PHAROS and the 3018 in
 * France, Child Focus in Belgium (issue 7). Elsewhere, no national service is known to Halte.
 */
export function childProtectionRoutes(country: 'FR' | 'BE' | 'other'): EscalationTarget[] {
  if (country === 'FR') return ['pharos', 'e_enfance_3018'];
  if (country === 'BE') return ['child_focus'];
  return [];
}

/** The escalations that fit a case's country (all of them when the country is neither). */
export function escalationsFor(country: 'FR' | 'BE' | 'other'): EscalationEntry[] {
  return Object.values(ESCALATIONS).filter((e) => country === 'other' || e.country === country);
}
