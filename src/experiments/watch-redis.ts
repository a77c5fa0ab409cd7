/**
 * Redis errors as a user reads them. BullMQ's Queue, Worker and FlowProducer re-emit ioredis's connection errors,
 * and where no one listens BullMQ prints each raw error object (`Error: connect ECONNREFUSED … { errno: -111 … }`)
 * and ioredis retries for ever. `watchRedis` listens instead: the first error of an outage is one line
 * (`redis://HOST:PORT: cannot connect (ECONNREFUSED); retrying for 30 s`), a connection probe every second tells
 * when Redis answers again (one line), and an outage longer than `giveUpMs` rejects `lost` with the one-line error,
 * so the command exits non-zero instead of waiting for ever. A short outage (a Redis restart) is ridden out; a
 * refused password (NOAUTH, WRONGPASS) rejects `lost` at once.
 * Messages name `redis://HOST:PORT` only, never a password from the URL.
 */
import { connect } from 'node:net';
import { MultiraterError } from '../errors.ts';

/** How long Redis may stay unreachable before a command gives up, ms. */
export const DEFAULT_REDIS_TIMEOUT_MS = 30_000;

/** `redis://HOST:PORT` of a Redis URL (no user, password or db). */
export function redisLabel(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}:${u.port || 6379}`;
}

/** Redis replies that no retry can fix. */
const AUTH_ERROR = /^(NOAUTH|WRONGPASS)\b/;

/** One line for a Redis error: `redis://HOST:PORT: cannot connect (CODE)` for connection errors. */
export function redisErrorText(url: string, error: Error & { code?: unknown }): string {
  const label = redisLabel(url);
  if (AUTH_ERROR.test(error.message)) {
    const what = error.message.startsWith('NOAUTH') ? 'needs a password' : 'refused the user name or password';
    return `${label}: Redis ${what} (give it in the URL: redis://[USER]:PASSWORD@HOST:PORT)`;
  }
  const code = typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code) ? error.code : undefined;
  return code !== undefined ? `${label}: cannot connect (${code})` : `${label}: ${error.message.split('\n')[0]}`;
}

/**
 * Resolves when something accepts a connection at the URL's host and port; otherwise rejects after `ms` with the
 * one-line error. Checked before BullMQ starts, whose ioredis would retry for ever.
 */
export function probeRedis(url: string, ms = 5000): Promise<void> {
  const u = new URL(url);
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 6379), timeout: ms });
    const fail = (error: Error): void => {
      socket.destroy();
      reject(new MultiraterError('io_error', redisErrorText(url, error)));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail(new Error(`no answer within ${ms / 1000} s`)));
    socket.once('error', fail);
  });
}

/**
 * Connects once, without retries, and sends PING: after `probeRedis`, this also finds a Redis that refuses the
 * password or is not Redis, before anything is written or started.
 */
export async function pingRedis(url: string, ms = 5000): Promise<void> {
  await probeRedis(url, ms);
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: ms,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The awaited calls reject with "Connection is closed."; the reason (NOAUTH, a reset) comes as an 'error' event.
  let reason: Error | undefined;
  client.on('error', (e: Error) => {
    reason ??= e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new MultiraterError('io_error', redisErrorText(url, reason ?? (e as Error)));
  } finally {
    client.disconnect();
  }
}

/** Something that emits BullMQ's 'error' events (Queue, Worker, FlowProducer). */
export interface ErrorSource {
  /** Subscribes to the source's errors (BullMQ's EventEmitter `on`). */
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Options of `watchRedis`: how long an outage is borne and how often Redis is probed meanwhile. */
export interface WatchRedisOptions {
  /** Give up after Redis has been unreachable this long, ms; default 30000. */
  giveUpMs?: number;
  /** How often Redis is probed during an outage, ms; default 1000. */
  probeMs?: number;
  /** Where the outage, reconnection and other Redis error lines go (each distinct one once); default stderr. */
  log?: (line: string) => void;
}

/** The handle `watchRedis` returns. */
export interface RedisWatch {
  /** Watches one more source (a Worker created after the watch). */
  add(source: ErrorSource): void;
  /** Rejects with a one-line MultiraterError once an outage outlasts `giveUpMs`; never resolves. */
  lost: Promise<never>;
  /** Stops watching (`lost` then never settles). */
  stop(): void;
}

/** Watches `sources` for Redis errors; see the file comment. */
export function watchRedis(url: string, sources: readonly ErrorSource[], options: WatchRedisOptions = {}): RedisWatch {
  const giveUpMs = options.giveUpMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  let reject: (e: Error) => void = () => undefined;
  const lost = new Promise<never>((_, r) => {
    reject = r;
  });
  lost.catch(() => undefined); // Callers race it; one that has stopped listening must not see an unhandled rejection.
  let outage: { since: number; text: string; timer: NodeJS.Timeout } | null = null;
  let lastOther = '';
  let stopped = false;

  const endOutage = (): void => {
    if (outage !== null) clearInterval(outage.timer);
    outage = null;
  };
  const onError = (error: Error & { code?: unknown }): void => {
    if (stopped) return;
    if (AUTH_ERROR.test(error.message)) {
      // Retrying cannot fix a missing or wrong password.
      stopped = true;
      endOutage();
      reject(new MultiraterError('io_error', redisErrorText(url, error)));
      return;
    }
    const text = redisErrorText(url, error);
    if (!text.includes(': cannot connect (')) {
      if (text !== lastOther) log(text);
      lastOther = text;
      return;
    }
    if (outage !== null) return;
    log(`${text}; retrying for ${giveUpMs / 1000} s`);
    const since = Date.now();
    let probing = false;
    const timer = setInterval(() => {
      if (probing || stopped) return;
      probing = true;
      probeRedis(url, options.probeMs ?? 1000).then(
        () => {
          probing = false;
          if (stopped || outage === null) return;
          endOutage();
          log(`${redisLabel(url)}: connected again`);
        },
        () => {
          probing = false;
          if (stopped || outage === null || Date.now() - since < giveUpMs) return;
          endOutage();
          stopped = true;
          reject(new MultiraterError('io_error', `${text} for ${giveUpMs / 1000} s; giving up`));
        },
      );
    }, options.probeMs ?? 1000);
    outage = { since, text, timer };
  };
  for (const source of sources) source.on('error', onError);
  return {
    add: (source) => source.on('error', onError),
    lost,
    stop: () => {
      stopped = true;
      endOutage();
    },
  };
}

/** A BullMQ object as `closeRedisClients` ends it. */
export interface RedisClientOwner {
  /** Closes gracefully (BullMQ's `close`: waits for running work and its Redis commands). */
  close(): Promise<unknown>;
  /** Drops the Redis connections at once. */
  disconnect(): Promise<unknown>;
}

/** Closes `owners` gracefully, or drops their connections when Redis does not let them close within `ms`. */
export async function closeRedisClients(owners: readonly RedisClientOwner[], ms = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const closed = Promise.all(owners.map((o) => o.close())).then(() => 'closed' as const);
  closed.catch(() => undefined);
  const outcome = await Promise.race([closed, timeout]).catch(() => 'failed' as const);
  clearTimeout(timer);
  // Not awaited: a dropped connection's 'end' may never come, and nothing would be left to wait on.
  if (outcome !== 'closed') for (const o of owners) o.disconnect().catch(() => undefined);
}
