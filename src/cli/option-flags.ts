/**
 * Library messages name options (`options.foreground`); the CLI's users type flags (`--foreground`). The CLI
 * rewrites each `options.<name>` of a MultiraterError's message to `--<kebab-name>`, or to the command's own flag
 * where its name differs from the option's (`options.modelDir` of `register` is `--model`).
 */
import { MultiraterError } from '../errors.ts';

/** Flags whose names are not the kebab-case of the option they set, by option name: `{ modelDir: '--model' }`. */
export type FlagNames = Readonly<Record<string, string>>;

const OPTION = /\boptions\.([a-z][A-Za-z0-9]*)(: (?:true|false)\b)?/g;

/**
 * `message` with each `options.<name>` replaced by its flag: `flags[name]`, else `--<kebab-name>`. A boolean
 * value is Commander's spelling: `options.check: false` is `--no-check`, `options.force: true` is `--force`.
 */
export function flagMessage(message: string, flags: FlagNames = {}): string {
  return message.replace(OPTION, (_, name: string, value: string | undefined) => {
    const flag = Object.hasOwn(flags, name) ? flags[name] : '--' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
    return value === ': false' ? flag.replace(/^--/, '--no-') : flag;
  });
}

/** `e` with its message naming flags when it is a MultiraterError; anything else unchanged. */
export function withFlagNames(e: unknown, flags: FlagNames = {}): unknown {
  return e instanceof MultiraterError ? new MultiraterError(e.code, flagMessage(e.message, flags)) : e;
}

/** Runs `run`; a MultiraterError it throws names this command's flags (`flags` where they differ from the option names). */
export async function runWithFlags<T>(flags: FlagNames, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw withFlagNames(e, flags);
  }
}
