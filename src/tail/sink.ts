/** Receives each line and the name of the source it came from (for getfilename()). */
export type LineSink = (line: string, filename: string) => void;
