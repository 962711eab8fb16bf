import type { ReactNode } from 'react';

export type HeadingLevel = 1 | 2 | 3 | 4 | 5;

/** A heading whose level is chosen by the page, so components keep headings in order wherever they sit. */
export function Heading({ level, id, className, lang, tabIndex, children }: { level: HeadingLevel; id?: string; className?: string; lang?: string; tabIndex?: number; children: ReactNode }) {
  const Tag = `h${level}` as const;
  return (
    <Tag id={id} className={className} lang={lang} tabIndex={tabIndex}>
      {children}
    </Tag>
  );
}
