// A QR code drawn as SVG rectangles (qr.ts): React elements only, no innerHTML and no inline style, so
// the page's CSP (style-src 'self') has nothing to refuse.
import { useMemo } from 'react';

import { qrDrawing } from './qr';

export function QrCode({ text, label, testId }: { text: string; label: string; testId: string }) {
  const drawing = useMemo(() => qrDrawing(text), [text]);
  return (
    <svg className="staff-qr" viewBox={`0 0 ${drawing.size} ${drawing.size}`} role="img" aria-label={label} shapeRendering="crispEdges" data-testid={testId}>
      <rect x={0} y={0} width={drawing.size} height={drawing.size} fill="#ffffff" />
      {drawing.runs.map((run) => (
        <rect key={`${run.x},${run.y}`} x={run.x} y={run.y} width={run.width} height={1} fill="#000000" />
      ))}
    </svg>
  );
}
