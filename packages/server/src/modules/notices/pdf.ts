// The notice as a PDF: the same NoticeDocument the e-mail is rendered from, laid out on A4 pages.
// DejaVu Sans is embedded (and subset) because the standard 14 PDF fonts are limited to WinAnsi,
// which has no narrow no-break space (U+202F, French typography) and nothing outside Western Europe
// that a name, a title or a URL may hold; and an embedded font looks the same in every viewer.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import fontkit, { type Font, type TypeFeatures } from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';

import type { NoticeDocument } from './document.js';

// ISO 216 A4 in PDF points, as pdf-lib's PageSizes.A4
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN; // distance from the top of the page
const FOOTER_BASELINE = 30; // from the bottom of the page, inside the bottom margin

interface TextStyle {
  readonly face: FaceName;
  readonly size: number;
  readonly leading: number;
}

const TITLE: TextStyle = { face: 'bold', size: 15, leading: 15 * 1.25 };
const HEADER: TextStyle = { face: 'regular', size: 10, leading: 10 * 1.35 };
const HEADING: TextStyle = { face: 'bold', size: 11.5, leading: 11.5 * 1.3 };
const BODY: TextStyle = { face: 'regular', size: 10.5, leading: 10.5 * 1.35 };
const FOOTER_SIZE = 8;
const FOOTER_COLOR = rgb(0.45, 0.45, 0.45);

const GAP_AFTER_TITLE = 8;
const GAP_AFTER_HEADER = 14;
const GAP_BEFORE_HEADING = 10;
const GAP_AFTER_HEADING = 4;
const GAP_AFTER_PARAGRAPH = 6;
const GAP_BETWEEN_ITEMS = 2;

const BULLET = '• ';
const BULLET_X = 2;
const ITEM_INDENT = 14; // the hanging indent of list items

/**
 * No OpenType shaping: pdf-lib keeps only the glyph ids of fontkit's layout, never its positions, so
 * kerning and mark positioning are computed for nothing (they made drawing three times slower), and
 * ligatures would break search and copy in some viewers. What remains is the plain cmap, one glyph per
 * code point, which is also what `measure` assumes when it breaks lines.
 */
const FONT_FEATURES: TypeFeatures = {
  ccmp: false,
  locl: false,
  rlig: false,
  liga: false,
  clig: false,
  calt: false,
  dlig: false,
  rclt: false,
  kern: false,
  mark: false,
  mkmk: false,
  curs: false,
};

type FaceName = 'regular' | 'bold';

interface Face {
  /** a subset tag (six capitals and "+", ISO 32000-1 § 9.6.4), fixed so the output is deterministic */
  readonly embeddedName: string;
  readonly bytes: Uint8Array;
  /** the parsed font, for glyph coverage and advance widths without pdf-lib's per-call layout */
  readonly font: Font;
  readonly advances: Map<number, number>;
}

type Faces = Readonly<Record<FaceName, Face>>;

let faces: Promise<Faces> | undefined;

/** The two TTFs, read and parsed once per process (about 1.4 MB). */
function loadFaces(): Promise<Faces> {
  faces ??= (async () => {
    const require = createRequire(import.meta.url);
    const load = async (file: string, embeddedName: string): Promise<Face> => {
      const bytes = new Uint8Array(await readFile(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
      return { embeddedName, bytes, font: fontkit.create(bytes), advances: new Map() };
    };
    const [regular, bold] = await Promise.all([
      load('DejaVuSans.ttf', 'HALTER+DejaVuSans'),
      load('DejaVuSans-Bold.ttf', 'HALTEB+DejaVuSans-Bold'),
    ]);
    return { regular, bold };
  })().catch((error: unknown) => {
    faces = undefined; // let the next notice try again rather than caching the failure
    throw error;
  });
  return faces;
}

// Breaks between words happen only at these. The no-break spaces (U+00A0, the figure space U+2007,
// and the narrow U+202F that French puts before ; : ! ? » and after «) are part of the word.
const BREAKING_SPACES = /[\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+/u;
// Control and format characters (bidi overrides, zero-width spaces, soft hyphens, BOM): pdf-lib draws
// glyphs one after another without shaping or bidi, so they could only ever appear as stray glyphs.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

function advance(face: Face, codePoint: number): number {
  let width = face.advances.get(codePoint);
  if (width === undefined) {
    width = face.font.glyphForCodePoint(codePoint).advanceWidth / face.font.unitsPerEm;
    face.advances.set(codePoint, width);
  }
  return width;
}

/** The width pdf-lib will give the text: sums of advance widths, no kerning (it ignores positions). */
function measure(text: string, face: Face, size: number): number {
  let width = 0;
  for (const char of text) width += advance(face, char.codePointAt(0) ?? 0);
  return width * size;
}

/** The words of a text, each drawable with the face: characters it lacks become '?'. */
function words(text: string, face: Face): string[] {
  const result: string[] = [];
  for (const word of text.normalize('NFC').split(BREAKING_SPACES)) {
    let drawable = '';
    for (const char of word.replace(INVISIBLE, '')) {
      drawable += face.font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0) ? char : '?';
    }
    if (drawable !== '') result.push(drawable);
  }
  return result;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Greedy line breaking at spaces; a word wider than the line (a URL) starts a line and is cut anywhere. */
function wrap(text: string, style: TextStyle, width: number, faces: Faces): string[] {
  const face = faces[style.face];
  const space = measure(' ', face, style.size);
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const word of words(text, face)) {
    const wordWidth = measure(word, face, style.size);
    if (line !== '' && lineWidth + space + wordWidth <= width) {
      line += ' ' + word;
      lineWidth += space + wordWidth;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    lineWidth = 0;
    if (wordWidth <= width) {
      line = word;
      lineWidth = wordWidth;
      continue;
    }
    for (const { segment } of graphemes.segment(word)) {
      const segmentWidth = measure(segment, face, style.size);
      if (line !== '' && lineWidth + segmentWidth > width) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      line += segment;
      lineWidth += segmentWidth;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

interface PlacedLine {
  readonly text: string;
  readonly style: TextStyle;
  readonly x: number;
  /** the baseline, from the top of the page */
  readonly top: number;
}

const EPSILON = 1e-6; // sums of leadings are not exact

/**
 * How many of a paragraph's lines go on a page that has room for `room`: all of them, or a split
 * that leaves no orphan (one line at the foot of the page) and no widow (one line at the top of the
 * next); 0 when the paragraph must start on the next page.
 */
function linesOnThisPage(count: number, room: number): number {
  if (count <= room) return count;
  const here = count - room < 2 ? room - 1 : room;
  return here >= 2 ? here : 0;
}

/** Fills pages top to bottom; a page is the lines drawn on it. */
class Layout {
  private page: PlacedLine[] = [];
  readonly pages: PlacedLine[][] = [this.page];
  private cursor = MARGIN;

  get atTop(): boolean {
    return this.page.length === 0;
  }

  /** Whether this much height still fits on the current page. */
  fits(height: number): boolean {
    return this.cursor + height <= CONTENT_BOTTOM + EPSILON;
  }

  /** How many lines of this leading still fit on the current page below `reserved` points. */
  room(leading: number, reserved = 0): number {
    return Math.max(0, Math.floor((CONTENT_BOTTOM - this.cursor - reserved + EPSILON) / leading));
  }

  newPage(): void {
    if (this.atTop) return;
    this.page = [];
    this.pages.push(this.page);
    this.cursor = MARGIN;
  }

  /** Vertical space, dropped at the top of a page. */
  gap(height: number): void {
    if (!this.atTop) this.cursor += height;
  }

  /** One line of text; with a bullet, a list item's first line (the bullet hangs in the indent). */
  line(text: string, style: TextStyle, x = MARGIN, bullet = false): void {
    if (!this.fits(style.leading)) this.newPage();
    const top = this.cursor + style.size;
    if (bullet) this.page.push({ text: BULLET.trim(), style, x: MARGIN + BULLET_X, top });
    this.page.push({ text, style, x, top });
    this.cursor += style.leading;
  }
}

interface Block {
  readonly lines: readonly string[];
  readonly item: boolean;
}

function paragraphBlock(paragraph: string, faces: Faces): Block {
  const item = paragraph.startsWith(BULLET);
  const text = item ? paragraph.slice(BULLET.length) : paragraph;
  return { lines: wrap(text, BODY, item ? CONTENT_WIDTH - ITEM_INDENT : CONTENT_WIDTH, faces), item };
}

function layOut(document: NoticeDocument, faces: Faces): PlacedLine[][] {
  const layout = new Layout();
  for (const line of wrap(document.title, TITLE, CONTENT_WIDTH, faces)) layout.line(line, TITLE);
  layout.gap(GAP_AFTER_TITLE);
  for (const header of document.header) {
    for (const line of wrap(header, HEADER, CONTENT_WIDTH, faces)) layout.line(line, HEADER);
  }
  if (document.header.length > 0) layout.gap(GAP_AFTER_HEADER);

  for (const section of document.sections) {
    const blocks = section.paragraphs.map((paragraph) => paragraphBlock(paragraph, faces));
    if (section.heading !== null) {
      const heading = wrap(section.heading, HEADING, CONTENT_WIDTH, faces);
      const headingHeight = heading.length * HEADING.leading + GAP_AFTER_HEADING;
      const first = blocks[0]?.lines.length ?? 0;
      layout.gap(GAP_BEFORE_HEADING);
      // never a heading alone at the foot of a page: it goes where its first paragraph can start
      const keepsItsParagraph = first === 0 || linesOnThisPage(first, layout.room(BODY.leading, headingHeight)) > 0;
      if (!layout.fits(headingHeight) || !keepsItsParagraph) layout.newPage();
      for (const line of heading) layout.line(line, HEADING);
      layout.gap(GAP_AFTER_HEADING);
    }
    blocks.forEach((block, index) => {
      const here = linesOnThisPage(block.lines.length, layout.room(BODY.leading));
      block.lines.forEach((line, lineIndex) => {
        if (lineIndex === here) layout.newPage();
        layout.line(line, BODY, block.item ? MARGIN + ITEM_INDENT : MARGIN, block.item && lineIndex === 0);
      });
      const next = blocks[index + 1];
      layout.gap(block.item && next?.item === true ? GAP_BETWEEN_ITEMS : GAP_AFTER_PARAGRAPH);
    });
  }
  return layout.pages;
}

/** The footer text, shortened with an ellipsis if the reference is too long for the line. */
function footerText(footer: string, pageNumber: number, pageCount: number, face: Face): string {
  const suffix = `page ${pageNumber}/${pageCount}`;
  const reference = words(footer, face).join(' ');
  if (reference === '') return suffix;
  const fits = (text: string) => measure(text, face, FOOTER_SIZE) <= CONTENT_WIDTH;
  if (fits(`${reference} — ${suffix}`)) return `${reference} — ${suffix}`;
  const chars = Array.from(reference);
  while (chars.length > 0 && !fits(`${chars.join('')}… — ${suffix}`)) chars.pop();
  return `${chars.join('')}… — ${suffix}`;
}

/**
 * The notice as a PDF (A4, DejaVu Sans embedded and subset, so French typography renders: « », é,
 * œ, ’, –, and the narrow no-break space U+202F before ; : ! ? » and inside « »). Deterministic for
 * the same input and `createdAt`: two renders are byte-identical.
 *
 * Characters DejaVu Sans cannot draw become '?'; control and format characters are dropped.
 */
export async function renderNoticePdf(document: NoticeDocument, options: { createdAt?: Date } = {}): Promise<Uint8Array> {
  const loaded = await loadFaces();
  const createdAt = options.createdAt ?? new Date();

  // updateMetadata: false, or pdf-lib stamps its own producer and the current time
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  const embed = (face: Face) => pdf.embedFont(face.bytes, { subset: true, customName: face.embeddedName, features: FONT_FEATURES });
  const fonts: Record<FaceName, PDFFont> = { regular: await embed(loaded.regular), bold: await embed(loaded.bold) };

  pdf.setTitle(document.title.normalize('NFC').split(BREAKING_SPACES).join(' ').replace(INVISIBLE, '').trim(), { showInWindowTitleBar: true });
  pdf.setLanguage(document.language);
  pdf.setProducer('Halte');
  pdf.setCreator('Halte');
  pdf.setCreationDate(createdAt);
  pdf.setModificationDate(createdAt);

  const pages = layOut(document, loaded);
  pages.forEach((lines, index) => {
    const page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    for (const { text, style, x, top } of lines) {
      page.drawText(text, { x, y: PAGE_HEIGHT - top, size: style.size, font: fonts[style.face] });
    }
    const footer = footerText(document.footer, index + 1, pages.length, loaded.regular);
    page.drawText(footer, { x: MARGIN, y: FOOTER_BASELINE, size: FOOTER_SIZE, font: fonts.regular, color: FOOTER_COLOR });
  });

  return pdf.save();
}
