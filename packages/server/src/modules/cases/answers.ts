// Answers to the person: a template per stage (first answer, update, closing) in French and English,
// filled from the case — what was done, the person's rights (from the qualification), what comes next,
// who can help (from orientation) — then edited by the analyst before it is sent. The draft is plain
// text: it becomes a follow-up message, shown as text. The e-mail that tells the person a message waits
// carries none of it (mail/templates.ts).
import { SITUATIONS, type AnswerTemplate, type Language, type Situation } from '@halte/contract';

import type { Orient } from '../reports/service.js';
import { offenceById } from './offences.js';

export interface DraftFacts {
  readonly country: 'FR' | 'BE' | 'other';
  readonly situations: readonly string[];
  readonly ageGroup: 'minor' | 'adult';
  readonly immediateDanger: boolean;
  readonly offenceIds: readonly string[];
  readonly items: readonly { readonly kind: 'image' | 'video' | 'url'; readonly review: string; readonly withdrawn: boolean }[];
  readonly shareWithPartners: boolean;
}

interface Words {
  readonly hello: string;
  readonly intro: Readonly<Record<AnswerTemplate, string>>;
  readonly actionsTitle: string;
  readonly rightsTitle: string;
  readonly nextTitle: string;
  readonly servicesTitle: string;
  readonly next: Readonly<Record<AnswerTemplate, readonly string[]>>;
  readonly fingerprints: (n: number, verified: number) => string;
  readonly shared: string;
  readonly notShared: string;
  readonly links: (n: number) => string;
  readonly nothingYet: string;
  readonly noQualification: string;
  readonly complaint: string;
  readonly unconfirmed: string;
  readonly upTo: string;
  readonly writeUs: string;
  readonly emergency: Readonly<Record<DraftFacts['country'], string>>;
  readonly signature: string;
}

const WORDS: Readonly<Record<Language, Words>> = {
  fr: {
    hello: 'Bonjour,',
    intro: {
      first_answer: 'Nous avons lu votre signalement. Merci de nous avoir fait confiance : ce qui vous arrive n’est pas de votre faute, et nous nous en occupons.',
      update: 'Voici où en est votre dossier.',
      closing: 'Nous avons fait tout ce que nous pouvions faire pour ce dossier et nous le clôturons. Vous pouvez toujours nous écrire ici : nous le rouvrirons si besoin.',
    },
    actionsTitle: 'Ce que nous avons fait :',
    rightsTitle: 'Vos droits :',
    nextTitle: 'La suite :',
    servicesTitle: 'Qui peut vous aider :',
    next: {
      first_answer: [
        'Ne payez pas et ne répondez plus à la personne qui vous menace ; ne supprimez pas la conversation.',
        'Gardez des preuves : captures d’écran des messages, du profil et des liens, avec la date.',
        'Nous vous écrirons ici dès que nous aurons du nouveau.',
      ],
      update: ['Nous vous écrirons ici dès que nous aurons du nouveau.'],
      closing: ['Si les images réapparaissent, ajoutez les nouveaux liens dans votre suivi : nous reprendrons le dossier.'],
    },
    fingerprints: (n, verified) => `Nous avons reçu ${n} empreinte${n > 1 ? 's' : ''} de vos images ou vidéos${verified > 0 ? `, dont ${verified} vérifiée${verified > 1 ? 's' : ''} par notre équipe` : ''}.`,
    shared: 'Ces empreintes sont transmises aux plateformes partenaires pour bloquer les copies (jamais les images elles-mêmes).',
    notShared: 'Vous n’avez pas souhaité que ces empreintes soient transmises aux plateformes partenaires : vous pouvez changer d’avis en nous écrivant.',
    links: (n) => `Nous examinons ${n} lien${n > 1 ? 's' : ''} que vous nous avez signalé${n > 1 ? 's' : ''}.`,
    nothingYet: 'Nous avons commencé l’examen de votre dossier.',
    noQualification: 'Ce qui vous arrive peut constituer une infraction. Nous vous préciserons lesquelles.',
    complaint: 'Vous pouvez porter plainte, au commissariat, à la gendarmerie ou par écrit au procureur de la République. Une association d’aide aux victimes peut vous accompagner gratuitement.',
    unconfirmed: 'à vérifier',
    upTo: 'jusqu’à',
    writeUs: 'Vous pouvez nous écrire ici à tout moment.',
    emergency: {
      FR: 'En cas de danger immédiat : 17 ou 112 (114 par SMS).',
      BE: 'En cas de danger immédiat : 101 ou 112.',
      other: 'En cas de danger immédiat, appelez le numéro d’urgence du pays où vous êtes (112 dans l’Union européenne).',
    },
    signature: 'L’équipe Halte',
  },
  en: {
    hello: 'Hello,',
    intro: {
      first_answer: 'We have read your report. Thank you for trusting us: what is happening to you is not your fault, and we are working on it.',
      update: 'Here is where your case stands.',
      closing: 'We have done everything we could for this case and are closing it. You can still write to us here: we will reopen it if needed.',
    },
    actionsTitle: 'What we have done:',
    rightsTitle: 'Your rights:',
    nextTitle: 'What comes next:',
    servicesTitle: 'Who can help you:',
    next: {
      first_answer: [
        'Do not pay and do not answer the person threatening you any more; do not delete the conversation.',
        'Keep evidence: screenshots of the messages, the profile and the links, with the date.',
        'We will write to you here as soon as we have news.',
      ],
      update: ['We will write to you here as soon as we have news.'],
      closing: ['If the images appear again, add the new links in your follow-up: we will take the case up again.'],
    },
    fingerprints: (n, verified) => `We received ${n} fingerprint${n > 1 ? 's' : ''} of your pictures or videos${verified > 0 ? `, ${verified} of them checked by our team` : ''}.`,
    shared: 'These fingerprints are shared with partner platforms so that they block copies (never the pictures themselves).',
    notShared: 'You chose not to share these fingerprints with partner platforms: you can change your mind by writing to us.',
    links: (n) => `We are looking into ${n} link${n > 1 ? 's' : ''} you reported.`,
    nothingYet: 'We have started looking into your case.',
    noQualification: 'What is happening to you may be a criminal offence. We will tell you which.',
    complaint: 'You can file a complaint with the police, or in writing to the public prosecutor. A victim support association can help you for free.',
    unconfirmed: 'to be checked',
    upTo: 'up to',
    writeUs: 'You can write to us here at any time.',
    emergency: {
      FR: 'In immediate danger: 17 or 112 (114 by text message).',
      BE: 'In immediate danger: 101 or 112.',
      other: 'In immediate danger, call the emergency number of the country you are in (112 in the European Union).',
    },
    signature: 'The Halte team',
  },
};

const bullet = (line: string) => `- ${line}`;

function actions(w: Words, f: DraftFacts): string[] {
  const live = f.items.filter((i) => !i.withdrawn && i.review !== 'rejected');
  const fingerprints = live.filter((i) => i.kind !== 'url');
  const links = live.filter((i) => i.kind === 'url').length;
  const lines: string[] = [];
  if (fingerprints.length > 0) {
    lines.push(w.fingerprints(fingerprints.length, fingerprints.filter((i) => i.review === 'analyst_verified').length));
    lines.push(f.shareWithPartners ? w.shared : w.notShared);
  }
  if (links > 0) lines.push(w.links(links));
  return lines.length > 0 ? lines : [w.nothingYet];
}

function rights(w: Words, f: DraftFacts, language: Language): string[] {
  const retained = f.offenceIds.map(offenceById).filter((o) => o !== undefined);
  const lines = retained.map((o) => {
    const title = language === 'fr' ? o.title_fr : o.title_en;
    const penalty = o.max_penalty ? `, ${w.upTo} ${language === 'fr' ? o.max_penalty.text_fr : o.max_penalty.text_en}` : '';
    const check = o.confirmed && (o.max_penalty?.confirmed ?? true) ? '' : ` (${w.unconfirmed})`;
    return `${title} (${o.code}, art. ${o.article}${penalty})${check}.`;
  });
  if (lines.length === 0) lines.push(w.noQualification);
  if (f.country !== 'other') lines.push(w.complaint);
  return lines;
}

function services(f: DraftFacts, orient: Orient, language: Language): string[] {
  const { services: list } = orient({
    situations: f.situations.filter((s): s is Situation => (SITUATIONS as readonly string[]).includes(s)),
    age: f.ageGroup,
    country: f.country,
    danger: f.immediateDanger,
  });
  const unconfirmed = language === 'fr' ? ' (coordonnées à vérifier)' : ' (contact details to be checked)';
  return list.slice(0, 4).map((s) => `${s.name} (${s.contact})${s.confirmed ? '' : unconfirmed} — ${s.description[language]}`);
}

/** The draft of an answer, ready for the analyst to edit. */
export function draftAnswer(template: AnswerTemplate, language: Language, f: DraftFacts, orient: Orient): string {
  const w = WORDS[language];
  const section = (title: string, lines: readonly string[]) => [title, ...lines.map(bullet), ''];
  return [
    w.hello,
    '',
    w.intro[template],
    '',
    ...section(w.actionsTitle, actions(w, f)),
    ...(template === 'closing' ? [] : section(w.rightsTitle, rights(w, f, language))),
    ...section(w.nextTitle, w.next[template]),
    ...section(w.servicesTitle, services(f, orient, language)),
    w.writeUs,
    w.emergency[f.country],
    '',
    w.signature,
  ].join('\n');
}
