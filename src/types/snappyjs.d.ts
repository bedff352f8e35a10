// snappyjs ships no types; these are the two functions we use.
declare module 'snappyjs' {
  /** Snappy block format (not framed), as Prometheus remote write sends it. */
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
}
