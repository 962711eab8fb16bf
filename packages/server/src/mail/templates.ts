// What Halte writes in e-mails. An e-mail is often read by someone else (a parent, a partner, the
// person who threatens): it says that something waits, never what. No case reference, no summary, no
// message, no name of a situation; one link, to Halte's own follow-up page; no image, no tracking, no
// other origin (decision 0016).
import type { Language } from '@halte/contract';

export const MAIL_TEMPLATES = ['followup-message-waiting'] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

interface Words {
  readonly subject: string;
  readonly hello: string;
  readonly lines: readonly string[];
  readonly linkIntro: string;
  readonly noReply: string;
  readonly danger: string;
}

const FOLLOWUP_MESSAGE_WAITING: Readonly<Record<Language, Words>> = {
  fr: {
    subject: 'Un message vous attend dans votre suivi',
    hello: 'Bonjour,',
    lines: ['L’équipe Halte vous a écrit. Le message vous attend dans votre suivi.'],
    linkIntro: 'Pour le lire, ouvrez ce lien, puis entrez votre référence et votre code :',
    noReply: 'Ne répondez pas à cet e-mail. Pour nous écrire, passez par votre suivi.',
    danger: 'En cas de danger immédiat, appelez le 112.',
  },
  en: {
    subject: 'A message is waiting in your follow-up',
    hello: 'Hello,',
    lines: ['The Halte team wrote to you. The message is waiting in your follow-up.'],
    linkIntro: 'To read it, open this link, then enter your reference and your code:',
    noReply: 'Please do not reply to this e-mail. To write to us, use your follow-up.',
    danger: 'If you are in immediate danger, call 112.',
  },
};

/** The follow-up page of the web app (its hash route, see packages/web/src/router.ts). */
export function followupPageUrl(publicUrl: string): string {
  return `${publicUrl}/#/follow-up`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderMail(template: MailTemplate, language: Language, values: { readonly publicUrl: string }): RenderedMail {
  const words = { 'followup-message-waiting': FOLLOWUP_MESSAGE_WAITING }[template][language];
  const link = followupPageUrl(values.publicUrl);
  const text = [words.hello, '', ...words.lines, '', words.linkIntro, link, '', words.noReply, '', words.danger, ''].join('\n');
  const paragraph = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(words.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    paragraph(words.hello),
    ...words.lines.map(paragraph),
    paragraph(words.linkIntro),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    paragraph(words.noReply),
    paragraph(words.danger),
    '</body></html>',
    '',
  ].join('\n');
  return { subject: words.subject, text, html };
}
