/**
 * The one seam between sources and programs (mtail's logline.Processor): every source hands
 * each line, with the name of the source it came from (for getfilename()), to one
 * LineProcessor. The runtime's ProgramSet is the processor of a real run.
 */
export interface LineProcessor {
  /** Takes one line. It must not throw: a program that fails on a line is the processor's to count and log. */
  processLine(line: string, filename: string): void;
}
