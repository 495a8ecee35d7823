/**
 * A report's input is wrong in a way the user can fix (a folder that is no sweep, a column or
 * env that is not there, a value that is not a number): the CLI shows it as a usage error.
 */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}
