/**
 * The one error type users see. `code` is machine-readable; `message` is one line naming the file (when there
 * is one), what was expected and what was found. The CLI prints the message alone and exits non-zero.
 */
export type MultiraterErrorCode =
  | 'file_not_found'
  | 'invalid_nifti'
  | 'invalid_nrrd'
  | 'unsupported_format'
  | 'unsupported_datatype'
  | 'truncated'
  | 'size_mismatch'
  | 'dimension_mismatch'
  | 'grid_mismatch'
  | 'invalid_dataset'
  | 'invalid_argument'
  /** Two options that cannot go together, or an option the chosen method does not take. */
  | 'option_conflict'
  /** A loss, model, method, study or other registered name that is not registered. */
  | 'unknown_name'
  | 'invalid_label'
  | 'missing_label'
  | 'io_error'
  | 'shape_error'
  | 'unknown_op'
  | 'duplicate_name'
  | 'graph_mismatch'
  | 'unknown_param'
  | 'not_differentiable'
  | 'runtime_error'
  | 'invalid_checkpoint'
  | 'training_diverged'
  | 'output_conflict'
  | 'path_outside_root'
  | 'job_failed'
  | 'invalid_record'
  | 'study_incomplete';

/**
 * The error every library function and CLI command throws for a user's mistake or bad input; see `MultiraterErrorCode`.
 */
export class MultiraterError extends Error {
  /** Machine-readable cause, e.g. 'grid_mismatch'; tests and callers branch on it, never on the message. */
  readonly code: MultiraterErrorCode;
  /** `message` is one line: the file (when there is one), what was expected and what was found. */
  constructor(code: MultiraterErrorCode, message: string) {
    super(message);
    this.name = 'MultiraterError';
    this.code = code;
  }
}

/** True when `e` is a MultiraterError, optionally with the given code. */
export function isMultiraterError(e: unknown, code?: MultiraterErrorCode): e is MultiraterError {
  return e instanceof MultiraterError && (code === undefined || e.code === code);
}

/**
 * `registry.get(name)` of a registry filled by name (models, studies, …); an unknown name is an `unknown_name` error
 * naming the known ones: `unknown model "vnet" (known: unet2d, …)`, `what` being the thing looked up.
 */
export function getRegistered<T>(registry: ReadonlyMap<string, T>, what: string, name: string): T {
  const found = registry.get(name);
  if (found === undefined)
    throw new MultiraterError('unknown_name', `unknown ${what} "${name}" (known: ${[...registry.keys()].join(', ')})`);
  return found;
}
