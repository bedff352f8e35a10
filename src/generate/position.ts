// Positions in server configuration files, and the one error type of the
// generators: every message names the file, line and column it is about.

/** A place in a configuration file; line and col count from 1. */
export interface Position {
  file: string;
  line: number;
  col: number;
}

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/** A configuration or log format the generator cannot turn into a program. */
export class GenerateError extends Error {
  constructor(
    message: string,
    readonly position?: Position,
  ) {
    super(position ? `${formatPosition(position)}: ${message}` : message);
  }
}
