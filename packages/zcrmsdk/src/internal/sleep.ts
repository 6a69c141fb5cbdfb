import { AbortedError } from '../errors.js';

/** Waits `ms`; the caller's abort ends the wait early with an AbortedError saying `what` was waiting. */
export function sleep(ms: number, signal: AbortSignal | undefined, what = 'The request'): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new AbortedError(`${what} was aborted by the caller while waiting to retry.`, { cause: signal?.reason });
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
