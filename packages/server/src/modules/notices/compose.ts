// The words of a notice (DSA art. 16(2); shared legal notes, "gabarit minimal"): pure — facts in, a
// NoticeDocument out — so golden files pin every line. What never goes in: an image (there is none),
// the case's reference (it opens the person's follow-up with a PIN), the person's summary, and the
// person's contact details unless they agreed; where the content involves a minor, the notifier's
// name and address too (art. 16(2)(c) allows an anonymous notice).
import type { EscalationTarget, Situation } from '@halte/contract';

import type { NoticeDocument, NoticeLanguage, NoticeSection } from './document.js';
import { ESCALATIONS } from './escalation.js';

/** An offence as the notice cites it (from the legal data, via the case's qualification). */
export interface CitedOffence {
  readonly code: string;
  readonly article: string;
  readonly titleFr: string;
  readonly titleEn: string;
  /** false: the article's number is not verified — the notice names the offence and the code, not the number */
  readonly confirmed: boolean;
}

export interface NoticeFacts {
  readonly kind: 'notice' | 'reminder';
  readonly language: NoticeLanguage;
  /** Halte's reference of this notice (never the case's); null in a preview */
  readonly reference: string | null;
  readonly date: Date;
  readonly host: { readonly name: string };
  /** the exact links, with when they were reported to Halte */
  readonly links: readonly { readonly url: string; readonly reportedAt: Date }[];
  /** the person's country: the law the notice cites */
  readonly country: 'FR' | 'BE' | 'other';
  readonly involvesMinor: boolean;
  readonly situations: readonly Situation[];
  readonly offences: readonly CitedOffence[];
  readonly notifier: { readonly name: string; readonly email: string };
  /** the person's own address, only when they agreed to give it to the host */
  readonly personContact: { readonly email: string } | null;
  /** a reminder: when the first notice left */
  readonly firstSentAt?: Date;
  /** content involving a minor: where the links are reported as well */
  readonly alsoReportedTo: readonly EscalationTarget[];
}

const NNBSP = '\u202F';

/**
 * French typography: a narrow no-break space before ; : ! ? and inside « », so that a line never starts
 * with a colon or a closing guillemet. Only the template's own spaces are changed (links hold none).
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/ ([;:!?»])/g, `${NNBSP}$1`)
    .replace(/« /g, `«${NNBSP}`);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date as notices write it: always UTC, said so, the same on every machine. */
export function noticeDate(date: Date, language: NoticeLanguage, withTime = true): string {
  const day = language === 'fr'
    ? `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`
    : `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (!withTime) return day;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
  return language === 'fr' ? `${day} à ${time}` : `${day} at ${time}`;
}

const hasImages = (s: readonly Situation[]) => s.includes('ncii_diffusion') || s.includes('sextortion');

function reasons(f: NoticeFacts): string[] {
  const fr = f.language === 'fr';
  const out: string[] = [];
  if (hasImages(f.situations) || f.involvesMinor) {
    out.push(
      fr
        ? "Ces contenus sont des images ou des vidéos intimes (nudité ou caractère sexuel) de la personne qui s’est adressée à nous : elle y est représentée ou identifiable. Elle n’a pas consenti à leur diffusion."
        : 'This content consists of intimate images or videos (nudity or sexual content) of the person who came to us: they are shown in it or can be identified. They did not consent to it being shared.',
    );
  } else {
    out.push(
      fr
        ? "Ces contenus visent la personne qui s’est adressée à nous et portent atteinte à sa vie privée et à sa sécurité."
        : 'This content targets the person who came to us and harms their privacy and safety.',
    );
  }
  if (f.situations.includes('sextortion')) {
    out.push(
      fr
        ? "Ils servent à la faire chanter : leur auteur menace de les diffuser, ou les diffuse, pour obtenir de l’argent ou d’autres images."
        : 'They are used to blackmail the person: the perpetrator threatens to share them, or shares them, to obtain money or more images.',
    );
  }
  if (f.situations.includes('cyberharassment')) {
    out.push(fr ? "Ils s’inscrivent dans un harcèlement en ligne répété." : 'They are part of repeated online harassment.');
  }
  if (f.involvesMinor) {
    out.push(
      fr
        ? "La personne représentée avait moins de 18 ans quand ces images ont été faites. Il s’agit de contenus d’abus sexuels sur enfant au sens des articles 3 à 7 de la directive 2011/93/UE : leur diffusion comme leur détention sont des infractions, quel que soit l’âge de la personne aujourd’hui."
        : 'The person shown was under 18 when these images were made. This is child sexual abuse material within the meaning of Articles 3 to 7 of Directive 2011/93/EU: sharing it and holding it are offences, whatever the person’s age today.',
    );
  }
  return out;
}

function legalBasis(f: NoticeFacts): string[] {
  const fr = f.language === 'fr';
  const out: string[] = [];
  for (const o of f.offences) {
    const title = fr ? o.titleFr : o.titleEn;
    // Belgium's new Criminal Code came into force on 8 April 2026 and the data holds the old numbers:
    // an unverified number is worse than none (shared legal notes, §3.1) — the offence and the code only
    const code = f.country === 'BE' ? (fr ? 'Code pénal belge' : 'Belgian Criminal Code') : codeName(o.code);
    if (o.confirmed && f.country !== 'BE') out.push(fr ? `• ${title} : ${code}, article ${o.article}.` : `• ${title}: ${code}, Article ${o.article}.`);
    else out.push(fr ? `• ${title} : ${code}.` : `• ${title}: ${code}.`);
  }
  if (f.offences.length === 0) {
    if (f.country === 'other') {
      out.push(
        fr
          ? "• La loi de l’État où vit la personne représentée, qui réprime la diffusion d’images intimes sans consentement."
          : '• The law of the country where the person lives, which makes sharing intimate images without consent an offence.',
      );
    } else {
      out.push(fr ? `• Le Code pénal ${f.country === 'FR' ? 'français' : 'belge'}.` : `• The ${f.country === 'FR' ? 'French' : 'Belgian'} Criminal Code.`);
    }
  }
  if (f.involvesMinor && f.country === 'other') {
    out.push(fr ? '• Directive 2011/93/UE, articles 3 à 7.' : '• Directive 2011/93/EU, Articles 3 to 7.');
  }
  out.push(
    fr
      ? '• Règlement (UE) 2022/2065 sur les services numériques (DSA), articles 6 et 16 : cette notification comporte les éléments de l’article 16, paragraphe 2, et vous donne connaissance effective de ces contenus.'
      : '• Regulation (EU) 2022/2065, the Digital Services Act (DSA), Articles 6 and 16: this notice contains the elements of Article 16(2) and gives you actual knowledge of this content.',
  );
  return out;
}

/** "Code pénal (1867)" → "Code pénal": the old Belgian code's year is a detail of the numbering left out. */
function codeName(code: string): string {
  return code.replace(/\s*\(\d{4}\)$/, '');
}

function requests(f: NoticeFacts): string[] {
  const fr = f.language === 'fr';
  const out = fr
    ? [
        '• Retirer ces contenus ou en bloquer l’accès sans délai.',
        '• Empêcher leur remise en ligne, sur ces adresses comme ailleurs sur votre service (par exemple par empreintes numériques).',
        '• Conserver les données utiles à une enquête (comptes, adresses IP, dates de mise en ligne, échanges) pour les autorités, sans les communiquer à la personne représentée ni à nous.',
      ]
    : [
        '• Remove this content or disable access to it without delay.',
        '• Prevent it from being uploaded again, at these addresses and elsewhere on your service (for example with hash matching).',
        '• Preserve the data an investigation would need (accounts, IP addresses, upload dates, messages) for the authorities, without disclosing it to the person or to us.',
      ];
  if (f.involvesMinor) {
    out.push(
      fr
        ? '• Informer les autorités répressives, comme l’article 18 du DSA le prévoit lorsque la sécurité d’une personne est menacée.'
        : '• Inform the law enforcement authorities, as Article 18 DSA requires where a person’s safety is at risk.',
    );
  }
  return out;
}

function notifierLines(f: NoticeFacts): string[] {
  const fr = f.language === 'fr';
  if (f.involvesMinor) {
    return [
      fr
        ? "Ces contenus relèvent des articles 3 à 7 de la directive 2011/93/UE : comme l’article 16, paragraphe 2, point c) du DSA le permet, le nom et l’adresse du notifiant ne figurent pas dans cette notification. Vous pouvez répondre à l’adresse d’expédition de ce message."
        : 'This content falls under Articles 3 to 7 of Directive 2011/93/EU: as Article 16(2)(c) DSA allows, the notifier’s name and address are not given in this notice. You may answer to the address this message comes from.',
    ];
  }
  const lines = [
    fr
      ? `${f.notifier.name} — ${f.notifier.email}, agissant pour la personne représentée, à sa demande.`
      : `${f.notifier.name} — ${f.notifier.email}, acting for the person shown, at their request.`,
  ];
  if (f.personContact) {
    lines.push(
      fr
        ? `La personne représentée a accepté que son adresse vous soit communiquée : ${f.personContact.email}.`
        : `The person shown agreed that their address be given to you: ${f.personContact.email}.`,
    );
  }
  return lines;
}

/** The notice, or a reminder of it, as a document (text and PDF are rendered from it). */
export function composeNotice(f: NoticeFacts): NoticeDocument {
  const fr = f.language === 'fr';
  const n = f.links.length;
  const title = fr
    ? `${f.kind === 'reminder' ? 'Rappel — ' : ''}Notification de contenus illicites (DSA, article 16) — ${f.host.name}`
    : `${f.kind === 'reminder' ? 'Reminder — ' : ''}Notice of illegal content (DSA, Article 16) — ${f.host.name}`;
  const reference = f.reference ?? (fr ? '(attribuée à l’envoi)' : '(given when sent)');
  const header = fr
    ? [`Date : ${noticeDate(f.date, 'fr', false)}`, `Destinataire : ${f.host.name}`, `Référence : ${reference}`]
    : [`Date: ${noticeDate(f.date, 'en', false)}`, `To: ${f.host.name}`, `Reference: ${reference}`];

  const opening: string[] = [];
  if (f.kind === 'reminder' && f.firstSentAt) {
    opening.push(
      fr
        ? `Nous vous avons notifié le ${noticeDate(f.firstSentAt, 'fr')} les contenus ci-dessous. Nous n’avons reçu ni accusé de réception ni décision, et ils restent à traiter : nous vous renouvelons notre demande.`
        : `We notified you of the content below on ${noticeDate(f.firstSentAt, 'en')}. We have received neither an acknowledgement nor a decision, and it still needs action: we renew our request.`,
    );
  }
  if (f.kind !== 'reminder') {
    opening.push(
      fr
        ? `Nous vous notifions ${n === 1 ? 'un contenu illicite hébergé' : `${n} contenus illicites hébergés`} par votre service, et vous demandons ${n === 1 ? 'de le retirer' : 'de les retirer'}.`
        : `We notify you of ${n === 1 ? 'an item of illegal content' : `${n} items of illegal content`} hosted by your service, and ask you to remove ${n === 1 ? 'it' : 'them'}.`,
    );
  }
  opening.push(
    fr ? "Aucune image n’est jointe à cette notification : seules les adresses exactes vous sont données." : 'No image is attached to this notice: only the exact addresses are given.',
  );

  const sections: NoticeSection[] = [
    { heading: null, paragraphs: opening },
    {
      heading: fr ? '1. Emplacement exact des contenus (article 16, paragraphe 2, point b)' : '1. Exact location of the content (Article 16(2)(b))',
      // a minor's notice does not name the notifier anywhere, not even here
      paragraphs: f.links.map((l) => {
        const to = f.involvesMinor ? '' : fr ? ` à ${f.notifier.name}` : ` to ${f.notifier.name}`;
        return fr ? `• ${l.url} — signalé${to} le ${noticeDate(l.reportedAt, 'fr')}` : `• ${l.url} — reported${to} on ${noticeDate(l.reportedAt, 'en')}`;
      }),
    },
    {
      heading: fr ? '2. Pourquoi ces contenus sont illicites (article 16, paragraphe 2, point a)' : '2. Why this content is illegal (Article 16(2)(a))',
      paragraphs: [...reasons(f), fr ? 'Base légale :' : 'Legal basis:', ...legalBasis(f)],
    },
    { heading: fr ? '3. Ce que nous vous demandons' : '3. What we ask of you', paragraphs: requests(f) },
  ];
  if (f.alsoReportedTo.length > 0) {
    const names = f.alsoReportedTo.map((t) => ESCALATIONS[t].name).join(fr ? ' et ' : ' and ');
    sections.push({
      heading: fr ? '4. Protection de l’enfance' : '4. Child protection',
      paragraphs: [fr ? `Ces adresses sont également signalées à ${names}.` : `These addresses are also being reported to ${names}.`],
    });
  }
  const next = sections.filter((s) => s.heading !== null).length + 1;
  sections.push(
    {
      heading: fr ? `${next}. Accusé de réception et décision motivée` : `${next}. Acknowledgement and reasoned decision`,
      paragraphs: [
        fr
          ? 'Merci d’accuser réception de cette notification sans retard (article 16, paragraphe 4) puis de nous faire connaître votre décision, ses motifs et les voies de recours (articles 16, paragraphe 5, 17 et 20).'
          : 'Please acknowledge receipt of this notice without undue delay (Article 16(4)), then tell us your decision, its reasons and the means of redress (Articles 16(5), 17 and 20).',
      ],
    },
    { heading: fr ? `${next + 1}. Notifiant (article 16, paragraphe 2, point c)` : `${next + 1}. Notifier (Article 16(2)(c))`, paragraphs: notifierLines(f) },
    {
      heading: fr ? `${next + 2}. Déclaration de bonne foi (article 16, paragraphe 2, point d)` : `${next + 2}. Statement of good faith (Article 16(2)(d))`,
      paragraphs: [
        fr
          ? 'Je déclare de bonne foi que les informations et allégations contenues dans cette notification sont exactes et complètes.'
          : 'I state in good faith that the information and allegations in this notice are accurate and complete.',
        f.involvesMinor ? (fr ? 'Pour le notifiant' : 'For the notifier') : f.notifier.name,
      ],
    },
  );

  const doc: NoticeDocument = {
    language: f.language,
    title,
    header,
    sections,
    footer: f.involvesMinor ? (fr ? `Notification ${reference}` : `Notice ${reference}`) : fr ? `${f.notifier.name} — notification ${reference}` : `${f.notifier.name} — notice ${reference}`,
  };
  return fr ? frenchDocument(doc) : doc;
}

function frenchDocument(doc: NoticeDocument): NoticeDocument {
  return {
    ...doc,
    title: frenchSpacing(doc.title),
    header: doc.header.map(frenchSpacing),
    sections: doc.sections.map((s) => ({ heading: s.heading === null ? null : frenchSpacing(s.heading), paragraphs: s.paragraphs.map(frenchSpacing) })),
    footer: frenchSpacing(doc.footer),
  };
}

/** The e-mail's text: the same document, as plain text (no line is wrapped: links stay whole). */
export function renderNoticeText(doc: NoticeDocument): string {
  const blocks: string[] = [doc.title, doc.header.join('\n')];
  for (const section of doc.sections) {
    const paragraphs = joinLists(section.paragraphs);
    blocks.push(section.heading === null ? paragraphs : `${section.heading}\n\n${paragraphs}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

/** List items follow each other line by line; other paragraphs are separated by a blank line. */
function joinLists(paragraphs: readonly string[]): string {
  let out = '';
  paragraphs.forEach((p, i) => {
    if (i > 0) out += p.startsWith('• ') && (paragraphs[i - 1] ?? '').startsWith('• ') ? '\n' : '\n\n';
    out += p;
  });
  return out;
}

export interface EscalationFacts {
  readonly language: NoticeLanguage;
  readonly reference: string | null;
  readonly date: Date;
  readonly target: { readonly name: string };
  readonly host: { readonly name: string } | null;
  readonly links: readonly { readonly url: string; readonly reportedAt: Date; readonly noticeSentAt: Date | null }[];
  readonly country: 'FR' | 'BE' | 'other';
  readonly involvesMinor: boolean;
  readonly situations: readonly Situation[];
  readonly offences: readonly CitedOffence[];
  readonly notifier: { readonly name: string; readonly email: string };
}

/**
 * The text an analyst pastes into an authority's or a trusted flagger's form: the links, why they are
 * illegal, and what the host was told and when. The same care as a notice: no image, no case reference,
 * nothing about the person but what makes the content illegal.
 */
export function composeEscalation(f: EscalationFacts): NoticeDocument {
  const fr = f.language === 'fr';
  const reference = f.reference ?? (fr ? '(attribuée à l’envoi)' : '(given when sent)');
  const notified = f.links.map((l) => l.noticeSentAt).filter((d): d is Date => d !== null);
  const hostLine = f.host === null
    ? []
    : [
        notified.length === 0
          ? fr
            ? `Hébergeur : ${f.host.name}. Il est notifié en parallèle (article 16 du DSA).`
            : `Host: ${f.host.name}. It is being notified in parallel (Article 16 DSA).`
          : fr
            ? `Hébergeur : ${f.host.name}, notifié le ${noticeDate(new Date(Math.min(...notified.map((d) => d.getTime()))), 'fr')} (article 16 du DSA), sans retrait à ce jour.`
            : `Host: ${f.host.name}, notified on ${noticeDate(new Date(Math.min(...notified.map((d) => d.getTime()))), 'en')} (Article 16 DSA), not removed so far.`,
      ];
  const sections: NoticeSection[] = [
    {
      heading: null,
      paragraphs: [
        fr
          ? `${f.notifier.name} vous signale ${f.links.length === 1 ? 'un contenu illicite' : `${f.links.length} contenus illicites`} en ligne, à la demande de la personne concernée. Aucune image n’est jointe.`
          : `${f.notifier.name} reports ${f.links.length === 1 ? 'an item of illegal content' : `${f.links.length} items of illegal content`} online, at the request of the person concerned. No image is attached.`,
        ...hostLine,
      ],
    },
    {
      heading: fr ? 'Adresses exactes' : 'Exact addresses',
      paragraphs: f.links.map((l) => (fr ? `• ${l.url} — signalé le ${noticeDate(l.reportedAt, 'fr')}` : `• ${l.url} — reported on ${noticeDate(l.reportedAt, 'en')}`)),
    },
    {
      heading: fr ? 'Motifs' : 'Grounds',
      paragraphs: [
        ...reasons({ ...f, kind: 'notice', host: f.host ?? { name: '' }, personContact: null, alsoReportedTo: [] }),
        fr ? 'Base légale :' : 'Legal basis:',
        ...legalBasis({ ...f, kind: 'notice', host: f.host ?? { name: '' }, personContact: null, alsoReportedTo: [] }).filter((l) => !l.includes('2022/2065')),
      ],
    },
  ];
  const doc: NoticeDocument = {
    language: f.language,
    title: fr ? `Signalement à ${f.target.name} — contenus illicites` : `Report to ${f.target.name} — illegal content`,
    header: fr ? [`Date : ${noticeDate(f.date, 'fr', false)}`, `Référence : ${reference}`] : [`Date: ${noticeDate(f.date, 'en', false)}`, `Reference: ${reference}`],
    sections,
    footer: fr ? `${f.notifier.name} — signalement ${reference}` : `${f.notifier.name} — report ${reference}`,
  };
  return fr ? frenchDocument(doc) : doc;
}
