// A notice as a document: what the e-mail text and the PDF are both rendered from, so the two never
// say different things. No personal data of the person unless they agreed to it (the generator
// decides; the renderers only lay out what they are given).

export type NoticeLanguage = 'fr' | 'en';

export interface NoticeSection {
  /** null: a paragraph block without a heading (the opening, the signature) */
  readonly heading: string | null;
  /** each paragraph is wrapped; a paragraph starting with "• " is a list item */
  readonly paragraphs: readonly string[];
}

export interface NoticeDocument {
  readonly language: NoticeLanguage;
  /** the e-mail subject and the PDF's title */
  readonly title: string;
  /** short lines above the body: date, to, from, Halte's reference of the notice */
  readonly header: readonly string[];
  readonly sections: readonly NoticeSection[];
  /** one line at the foot of every PDF page (the notice's reference); not in the e-mail body */
  readonly footer: string;
}
