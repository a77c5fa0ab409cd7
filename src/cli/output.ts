/** Printing shared by the commands: JSON with a schema version, or plain text. */

/** JSON output of every command carries this version, bumped when a command's JSON shape changes. */
export const CLI_SCHEMA_VERSION = 1;

/** Prints `value` as pretty JSON on stdout with `schemaVersion` first. */
export function printJson(value: object): void {
  process.stdout.write(JSON.stringify({ schemaVersion: CLI_SCHEMA_VERSION, ...value }, null, 2) + '\n');
}
