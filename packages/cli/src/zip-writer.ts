import { crc32, deflateRawSync } from "node:zlib";

/** One file of the archive. */
export interface ZipEntry {
  /** The stored path, `/`-separated and relative (`approov.js`, `docs/README.txt`). */
  name: string;
  data: Uint8Array;
  /** Stored as a DOS time (local time, 2-second steps, 1980..2107). */
  modified: Date;
}

export type ZipErrorCode = "bad-entry-name" | "duplicate-entry" | "too-large";

/** A request this writer cannot turn into a valid plain (non-ZIP64) archive. */
export class ZipError extends Error {
  override name = "ZipError";
  constructor(
    readonly code: ZipErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
/** 2.0: the version that introduced deflate; needed to extract. */
const VERSION_NEEDED = 20;
/** Made by Unix (3) so that the external attributes below are read as a file mode. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
/** A regular file, rw-r--r--, in the high 16 bits as Info-ZIP stores Unix modes. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
/** General purpose flag bit 11: the name is UTF-8. */
const UTF8_NAME = 0x0800;
/** Without ZIP64, sizes, offsets and counts must stay below these. */
const MAX_U32 = 0xffffffff;
const MAX_U16 = 0xffff;

/** DOS date and time (local time): the only timestamp every ZIP reader understands. */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = date.getFullYear();
  if (Number.isNaN(year) || year < 1980) return { time: 0, date: (1 << 5) | 1 }; // 1980-01-01
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function checkName(name: string): Buffer {
  const bytes = Buffer.from(name, "utf8");
  const parts = name.split("/");
  // Refuse names an extractor could write outside its target directory (zip slip).
  if (
    name === "" ||
    bytes.length > MAX_U16 ||
    name.startsWith("/") ||
    name.includes("\\") ||
    [...name].some((char) => char.charCodeAt(0) < 0x20 || char === "\u007f") ||
    parts.some((part) => part === "" || part === "." || part === "..")
  ) {
    throw new ZipError("bad-entry-name", `bad entry name ${JSON.stringify(name.slice(0, 80))}`);
  }
  return bytes;
}

interface Prepared {
  name: Buffer;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  size: number;
  body: Uint8Array;
  offset: number;
}

/**
 * A complete ZIP archive (no ZIP64, no encryption, no data descriptors) of `entries`, in
 * order: each file deflated, or stored when deflate would not make it smaller.
 */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > MAX_U16) throw new ZipError("too-large", "more than 65535 entries");
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = checkName(entry.name);
    if (seen.has(entry.name)) {
      throw new ZipError("duplicate-entry", `entry ${JSON.stringify(entry.name)} given twice`);
    }
    seen.add(entry.name);
    if (entry.data.length >= MAX_U32) throw new ZipError("too-large", `${entry.name} is too large`);
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const method = deflated.length < entry.data.length ? DEFLATED : STORED;
    const { time, date } = dosDateTime(entry.modified);
    const item: Prepared = {
      name,
      flags: name.length === entry.name.length ? 0 : UTF8_NAME,
      method,
      time,
      date,
      crc: crc32(entry.data),
      size: entry.data.length,
      body: method === DEFLATED ? deflated : entry.data,
      offset,
    };
    prepared.push(item);
    offset += 30 + name.length + item.body.length;
    if (offset >= MAX_U32) throw new ZipError("too-large", "the archive would pass 4 GiB");
  }

  const parts: Uint8Array[] = [];
  for (const item of prepared) {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(item.flags, 6);
    header.writeUInt16LE(item.method, 8);
    header.writeUInt16LE(item.time, 10);
    header.writeUInt16LE(item.date, 12);
    header.writeUInt32LE(item.crc, 14);
    header.writeUInt32LE(item.body.length, 18);
    header.writeUInt32LE(item.size, 22);
    header.writeUInt16LE(item.name.length, 26);
    header.writeUInt16LE(0, 28); // no extra field
    parts.push(header, item.name, item.body);
  }

  const centralStart = offset;
  let centralSize = 0;
  for (const item of prepared) {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION_MADE_BY, 4);
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(item.flags, 8);
    header.writeUInt16LE(item.method, 10);
    header.writeUInt16LE(item.time, 12);
    header.writeUInt16LE(item.date, 14);
    header.writeUInt32LE(item.crc, 16);
    header.writeUInt32LE(item.body.length, 20);
    header.writeUInt32LE(item.size, 24);
    header.writeUInt16LE(item.name.length, 28);
    // 30..37: extra length, comment length, disk number, internal attributes: all 0.
    header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    header.writeUInt32LE(item.offset, 42);
    parts.push(header, item.name);
    centralSize += header.length + item.name.length;
  }
  if (centralStart + centralSize >= MAX_U32) {
    throw new ZipError("too-large", "the archive would pass 4 GiB");
  }

  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  // 4..7: this disk and the central directory's disk: 0 (one-part archive).
  end.writeUInt16LE(prepared.length, 8);
  end.writeUInt16LE(prepared.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralStart, 16);
  // 20: no archive comment.
  parts.push(end);
  return Buffer.concat(parts);
}
