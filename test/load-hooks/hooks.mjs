// Module hooks (run on Node's loader thread): append each resolved URL, one per line, to $MULTIRATER_LOAD_LOG.
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.MULTIRATER_LOAD_LOG) appendFileSync(process.env.MULTIRATER_LOAD_LOG, `${resolved.url}\n`);
  return resolved;
}
