// The React side of MediaQueue: one queue per report (and per follow-up form), wiped on unmount and
// on quick exit.
import { useEffect, useState, useSyncExternalStore } from 'react';

import { onQuickExit } from '../../../components/quick-exit';
import { MediaQueue, type HashWorker, type MediaEntry, type MediaWorkers, type VideoWorker } from './media-queue';

const workers: MediaWorkers = {
  image: (): HashWorker => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'halte-hash' }),
  video: (): VideoWorker => new Worker(new URL('../../../video/video.worker.ts', import.meta.url), { type: 'module', name: 'halte-video' }),
};

const objectUrls = {
  create: (file: File) => URL.createObjectURL(file),
  revoke: (url: string) => URL.revokeObjectURL(url),
};

export function useMediaQueue(): { queue: MediaQueue; entries: readonly MediaEntry[] } {
  const [queue] = useState(() => new MediaQueue(workers, objectUrls));
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
