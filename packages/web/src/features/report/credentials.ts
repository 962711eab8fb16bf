// The reference and PIN as text: what "Copy" puts on the clipboard and what the downloaded file holds.
import type { Language } from '@halte/contract';

import { translate } from '../../i18n/catalogues';

export function credentialsLines(language: Language, reference: string, pin: string): string {
  return [translate(language, 'done.file.reference', { reference }), translate(language, 'done.file.pin', { pin })].join('\n');
}

export function credentialsFile(language: Language, reference: string, pin: string, sentAt: Date): string {
  const date = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(sentAt);
  return [
    translate(language, 'done.file.heading'),
    '',
    credentialsLines(language, reference, pin),
    translate(language, 'done.file.date', { date }),
    '',
    translate(language, 'done.file.how'),
    translate(language, 'done.file.warning'),
    '',
  ].join('\n');
}

/** A file name that says what it is to the person, and nothing more to anyone else. */
export function credentialsFileName(reference: string): string {
  return `${reference.replace(/[^A-Za-z0-9-]/g, '')}.txt`;
}

/** Saves `text` as a file through a Blob (nothing is sent anywhere). */
export function downloadText(text: string, fileName: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has started the download.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
