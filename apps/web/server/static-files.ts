import { existsSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

/** Thrown at startup when there is no build to serve. */
export class DistMissingError extends Error {
  override name = "DistMissingError";
  readonly code = "web-dist-missing";
  constructor(distDir: string) {
    super(`${distDir} has no index.html: run npm run build first (in apps/web)`);
  }
}

export function assertDistBuilt(distDir: string): void {
  if (!existsSync(join(distDir, "index.html"))) throw new DistMissingError(distDir);
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};

/** Pages and scripts whose text is rewritten (placeholders) before it is served. */
const TEXT_TO_FILL = new Set([".html", ".js"]);

// Bounds on the in-memory cache: the dist tree is a handful of small files.
const MAX_CACHED_FILES = 512;
const MAX_CACHED_BYTES = 1024 * 1024;

/** File bytes in a buffer of their own (what Response bodies accept). */
type Bytes = Uint8Array<ArrayBuffer>;

export type StaticResult =
  | { kind: "file"; body: Bytes | string; contentType: string; cacheControl: string }
  | { kind: "redirect"; location: string }
  | { kind: "missing" };

/** A file that passed every check once, with its served body. */
interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Bytes | string;
}

export interface StaticFilesOptions {
  /**
   * Check a cached file on every request (stat, realpath) and reread it when its mtime or
   * size changed: for a build that changes under the running server (`npm run dev`).
   * Otherwise the build is fixed for the process's life and a cached hit touches no file.
   */
  revalidate?: boolean;
}

/**
 * Serves files from one directory and nothing outside it. `.html` and `.js` go through
 * `transformText` once per file version. A file is read, checked (a regular file, its real
 * path inside the root) and cached once; later requests for it are answered from memory.
 */
export class StaticFiles {
  private readonly root: string;
  private realRoot: string | undefined;
  /** By resolved path (bounded: MAX_CACHED_FILES entries of at most MAX_CACHED_BYTES). */
  private readonly cache = new Map<string, CachedFile>();
  private readonly revalidate: boolean;

  constructor(
    root: string,
    private readonly transformText: (text: string) => string,
    options: StaticFilesOptions = {},
  ) {
    this.root = resolve(root);
    this.revalidate = options.revalidate ?? false;
  }

  /** `pathname` is the URL path as received (still percent-encoded). */
  async lookup(pathname: string): Promise<StaticResult> {
    const file = this.toFilePath(pathname);
    if (file === undefined) return { kind: "missing" };

    const ext = extname(file).toLowerCase();
    const cached = this.revalidate ? undefined : this.cache.get(file);
    if (cached) return this.fileResult(pathname, ext, cached.body);

    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      // Relative links in a page (assets/js/app.js) need the trailing slash.
      return pathname.endsWith("/")
        ? { kind: "missing" }
        : { kind: "redirect", location: `${pathname}/` };
    }
    if (!info?.isFile() || !(await this.isInsideRoot(file))) return { kind: "missing" };
    return this.fileResult(pathname, ext, await this.read(file, ext, info.mtimeMs, info.size));
  }

  private fileResult(pathname: string, ext: string, body: Bytes | string): StaticResult {
    return {
      kind: "file",
      body,
      contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
      cacheControl: cacheControlFor(pathname, ext),
    };
  }

  /** Maps a URL path to a path under the root, or undefined for anything suspicious. */
  private toFilePath(pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (!decoded.startsWith("/") || decoded.includes("\0") || decoded.includes("\\")) {
      return undefined;
    }
    const segments = decoded.slice(1).split("/");
    const last = segments.length - 1;
    for (const [index, segment] of segments.entries()) {
      // Empty inner segments (//) could make an open redirect; dot segments could escape.
      if (segment === "" ? index !== last : segment.startsWith(".")) return undefined;
    }
    if (segments[last] === "") segments[last] = "index.html";
    const file = resolve(this.root, ...segments);
    return file.startsWith(this.root + sep) ? file : undefined;
  }

  /** Symlinks inside the build must not lead out of it. */
  private async isInsideRoot(file: string): Promise<boolean> {
    this.realRoot ??= await realpath(this.root);
    const real = await realpath(file).catch(() => undefined);
    return real?.startsWith(this.realRoot + sep) ?? false;
  }

  private async read(file: string, ext: string, mtimeMs: number, size: number) {
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.body;

    const bytes = await readFile(file);
    const body = TEXT_TO_FILL.has(ext)
      ? this.transformText(bytes.toString("utf8"))
      : new Uint8Array(bytes);
    if (size <= MAX_CACHED_BYTES && (this.cache.has(file) || this.cache.size < MAX_CACHED_FILES)) {
      this.cache.set(file, { mtimeMs, size, body });
    }
    return body;
  }
}

function cacheControlFor(pathname: string, ext: string): string {
  // Pages and scripts carry the configuration: a changed setting must show on reload.
  if (TEXT_TO_FILL.has(ext)) return "no-store";
  // Vite names what it emits under /assets/ by content hash.
  if (pathname.startsWith("/assets/")) return "public, max-age=31536000, immutable";
  return "no-cache";
}
