/**
 * Layer bytes are fetched by a worker. A fetch read on the page's thread stalls while that thread is busy (niivue's
 * WebGL set-up blocks it for a second or more in software WebGL, and a response body only flows as it is read), so
 * a large image would only start downloading after the set-up. The worker reads whole bodies meanwhile (the browser
 * inflates gzip content encoding) and hands each buffer over without a copy.
 */
const WORKER_SOURCE = `onmessage = async (event) => {
  const { id, url } = event.data;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ': ' + response.status + ' ' + (await response.text()));
    const buffer = await response.arrayBuffer();
    postMessage({ id, buffer }, [buffer]);
  } catch (error) {
    postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};`;

type Reply = { id: number; buffer: ArrayBuffer } | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void }>();

/** The bytes at `url` (a path on this page's server). */
export function fetchBytes(url: string): Promise<ArrayBuffer> {
  worker ??= startWorker();
  const id = nextId++;
  const absolute = new URL(url, location.href).href;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.postMessage({ id, url: absolute });
  });
}

function startWorker(): Worker {
  const w = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
  w.onmessage = (event: MessageEvent<Reply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (waiting === undefined) return;
    pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.buffer);
  };
  return w;
}
