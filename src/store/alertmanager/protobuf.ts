/**
 * @module store/alertmanager/protobuf
 * A reader of the protobuf wire format, just enough for Alertmanager's snapshot files: a stream of
 * length-delimited messages (varint length, then the message), each a sequence of (field number, wire type,
 * value). Our own rather than protobufjs: the snapshots use five small messages with varint, length-delimited
 * and fixed64 fields only, which a ~100-line reader decodes without .proto files, code generation or
 * reflection; protobufjs would still need the schemas written out (google.protobuf.Timestamp included) and
 * brings long.js. Unknown fields are skipped, as protobuf requires, so newer Alertmanager snapshots read too.
 */

export class WireError extends Error {}

/** The wire types protobuf 3 writes (3 and 4, groups, are proto2-only and never in these files). */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

export interface Field {
  num: number;
  wire: number;
  /** VARINT and FIXED64: the value (unsigned) */
  int: bigint;
  /** LEN: the bytes */
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new WireError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, v);
    }
    throw new WireError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new WireError(`length ${n} at byte ${this.pos} runs past the end (${this.buf.length} bytes)`);
    }
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** One length-delimited value: a varint length, then that many bytes. */
  delimited(): Uint8Array {
    const n = this.varint();
    if (n > BigInt(this.buf.length)) throw new WireError(`length ${n} at byte ${this.pos} runs past the end`);
    return this.bytes(Number(n));
  }

  field(): Field {
    const key = this.varint();
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (num === 0) throw new WireError(`field number 0 at byte ${this.pos}`);
    switch (wire) {
      case VARINT:
        return { num, wire, int: this.varint(), bytes: EMPTY };
      case FIXED64: {
        const b = this.bytes(8);
        return { num, wire, int: new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true), bytes: EMPTY };
      }
      case LEN:
        return { num, wire, int: 0n, bytes: this.delimited() };
      case FIXED32: {
        const b = this.bytes(4);
        return { num, wire, int: BigInt(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)), bytes: EMPTY };
      }
      default:
        throw new WireError(`wire type ${wire} of field ${num} at byte ${this.pos} is not protobuf 3`);
    }
  }
}

/** Calls `each` for every field of a message (the bytes of one). */
export function readMessage(buf: Uint8Array, each: (f: Field) => void): void {
  const r = new Reader(buf);
  while (!r.done) each(r.field());
}

/** The messages of a length-delimited stream (Go's pbutil.WriteDelimited, one after another). */
export function readDelimitedStream(buf: Uint8Array): Uint8Array[] {
  const r = new Reader(buf);
  const out: Uint8Array[] = [];
  while (!r.done) {
    try {
      out.push(r.delimited());
    } catch (e) {
      throw e instanceof WireError ? new WireError(`record ${out.length + 1}: ${e.message}`) : e;
    }
  }
  return out;
}

export function expectWire(f: Field, wire: number, what: string): void {
  if (f.wire !== wire) throw new WireError(`${what} (field ${f.num}) has wire type ${f.wire}, expected ${wire}`);
}

/** A proto3 string (must be valid UTF-8, as Go's protobuf checks). */
export function str(f: Field, what: string): string {
  expectWire(f, LEN, what);
  try {
    return utf8.decode(f.bytes);
  } catch {
    throw new WireError(`${what} is not valid UTF-8`);
  }
}

/** A repeated varint field, packed (one LEN field) or not. */
export function varints(f: Field, what: string): bigint[] {
  if (f.wire === VARINT) return [f.int];
  expectWire(f, LEN, what);
  const r = new Reader(f.bytes);
  const out: bigint[] = [];
  while (!r.done) out.push(r.varint());
  return out;
}

/** google.protobuf.Timestamp as epoch ms (nanoseconds below a millisecond dropped, as the API shows them). */
export function timestampMs(f: Field, what: string): number {
  expectWire(f, LEN, what);
  let seconds = 0n;
  let nanos = 0n;
  readMessage(f.bytes, (t) => {
    if (t.num === 1) {
      expectWire(t, VARINT, `${what}.seconds`);
      seconds = BigInt.asIntN(64, t.int);
    } else if (t.num === 2) {
      expectWire(t, VARINT, `${what}.nanos`);
      nanos = BigInt.asIntN(32, t.int);
    }
  });
  if (nanos < 0n || nanos > 999_999_999n) throw new WireError(`${what}.nanos ${nanos} is out of range`);
  return Number(seconds * 1000n + nanos / 1_000_000n);
}
