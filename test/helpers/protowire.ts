// A minimal protobuf wire-format reader for tests, written independently of
// the encoder's library: it turns a message into field number → raw values,
// so a test can check exactly what was put on the wire.

/** One field occurrence: a varint (bigint), a 64-bit or 32-bit chunk, or length-delimited bytes. */
export type WireValue = { type: 0; value: bigint } | { type: 1; bytes: Uint8Array } | { type: 2; bytes: Uint8Array } | { type: 5; bytes: Uint8Array };

/** Reads a varint at `pos`; returns [value, next position]. */
export function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('varint runs past the end');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new Error('varint longer than 10 bytes');
  }
}

/** The fields of one message, by number, in the order they appear. */
export function decodeMessage(buf: Uint8Array): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  let pos = 0;
  while (pos < buf.length) {
    const [key, p] = readVarint(buf, pos);
    pos = p;
    const field = Number(key >> 3n);
    const type = Number(key & 7n);
    let v: WireValue;
    if (type === 0) {
      const [value, q] = readVarint(buf, pos);
      pos = q;
      v = { type: 0, value };
    } else if (type === 1) {
      v = { type: 1, bytes: buf.subarray(pos, pos + 8) };
      pos += 8;
    } else if (type === 2) {
      const [len, q] = readVarint(buf, pos);
      v = { type: 2, bytes: buf.subarray(q, q + Number(len)) };
      pos = q + Number(len);
    } else if (type === 5) {
      v = { type: 5, bytes: buf.subarray(pos, pos + 4) };
      pos += 4;
    } else {
      throw new Error(`wire type ${type} at byte ${pos}`);
    }
    if (pos > buf.length) throw new Error(`field ${field} runs past the end`);
    const list = fields.get(field) ?? [];
    list.push(v);
    fields.set(field, list);
  }
  return fields;
}

/** Splits a length-delimited stream into its messages. */
export function splitDelimited(buf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [len, p] = readVarint(buf, pos);
    out.push(buf.subarray(p, p + Number(len)));
    pos = p + Number(len);
    if (pos > buf.length) throw new Error('delimited message runs past the end');
  }
  return out;
}

/** A small reader over decoded fields. */
export class Msg {
  readonly fields: Map<number, WireValue[]>;
  constructor(bytes: Uint8Array) {
    this.fields = decodeMessage(bytes);
  }
  has(n: number): boolean {
    return this.fields.has(n);
  }
  string(n: number): string | undefined {
    const v = this.fields.get(n)?.[0];
    return v?.type === 2 ? Buffer.from(v.bytes).toString('utf8') : undefined;
  }
  varint(n: number): bigint | undefined {
    const v = this.fields.get(n)?.[0];
    return v?.type === 0 ? v.value : undefined;
  }
  /** A zigzag-encoded varint (sint32/sint64). */
  sint(n: number): number | undefined {
    const v = this.varint(n);
    return v === undefined ? undefined : zigzag(v);
  }
  double(n: number): number | undefined {
    const v = this.fields.get(n)?.[0];
    return v?.type === 1 ? Buffer.from(v.bytes).readDoubleLE(0) : undefined;
  }
  messages(n: number): Msg[] {
    return (this.fields.get(n) ?? []).map((v) => {
      if (v.type !== 2) throw new Error(`field ${n} is not a message`);
      return new Msg(v.bytes);
    });
  }
  message(n: number): Msg | undefined {
    return this.messages(n)[0];
  }
  /** A repeated zigzag varint field, packed or not. */
  packedSints(n: number): number[] {
    const out: number[] = [];
    for (const v of this.fields.get(n) ?? []) {
      if (v.type === 0) out.push(zigzag(v.value));
      else if (v.type === 2) {
        let pos = 0;
        while (pos < v.bytes.length) {
          const [x, p] = readVarint(v.bytes, pos);
          out.push(zigzag(x));
          pos = p;
        }
      }
    }
    return out;
  }
}

function zigzag(v: bigint): number {
  return Number((v >> 1n) ^ -(v & 1n));
}
