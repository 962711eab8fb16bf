// The React side of ImageQueue: one queue per report, wiped on unmount and on quick exit.
import { useEffect, useState, useSyncExternalStore } from 'react';

import { onQuickExit } from '../../../components/quick-exit';
import { ImageQueue, type HashWorker, type ImageEntry } from './image-queue';

function createHashWorker(): HashWorker {
  return new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'halte-hash' });
}

const objectUrls = {
  create: (file: File) => URL.createObjectURL(file),
  revoke: (url: string) => URL.revokeObjectURL(url),
};

export function useImageQueue(): { queue: ImageQueue; entries: readonly ImageEntry[] } {
  const [queue] = useState(() => new ImageQueue(createHashWorker, objectUrls));
  const entries = useSyncExternalStore(queue.subscribe, queue.getEntries);
  useEffect(() => {
    const unregister = onQuickExit(() => queue.reset());
    return () => {
      unregister();
      queue.reset();
    };
  }, [queue]);
  return { queue, entries };
}
