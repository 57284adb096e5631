/**
 * Seeded file trees for simulated agents: folders and files with sizes, some files that
 * change between backups and some that are locked by another process.
 */

export interface SimFile {
  path: string;
  size: number;
  /** Modified before every backup, so incremental backups upload it again. */
  changes: boolean;
  /** Held open by another process: backups cannot read it. */
  locked: boolean;
}

export interface FileTree {
  windows: boolean;
  folders: string[];
  files: SimFile[];
}

/** A small, fast, seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINUX_LAYOUT: Record<string, string[]> = {
  "/var/www/html": ["index.html", "about.html", "app.js", "styles.css", "logo.png"],
  "/var/www/html/uploads": ["photo-001.jpg", "photo-002.jpg", "report.pdf"],
  "/var/log": ["syslog", "auth.log", "nginx-access.log"],
  "/etc": ["hosts", "fstab", "nginx.conf", "shadow"],
  "/home/deploy": [".bashrc", "notes.txt", "deploy.sh"],
  "/var/lib/mysql": ["ibdata1", "ib_logfile0", "shop.frm"],
  "/db/dumps": ["nightly.sql.gz", "weekly.sql.gz"],
};

const WINDOWS_LAYOUT: Record<string, string[]> = {
  "C:\\Websites": ["default.aspx", "web.config", "site.css"],
  "C:\\Websites\\Logs": ["u_ex260101.log", "u_ex260102.log"],
  "C:\\inetpub\\wwwroot": ["iisstart.htm", "welcome.png"],
  "C:\\Users\\Administrator\\Documents": ["budget.xlsx", "plan.docx", "notes.txt"],
  "C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA": ["master.mdf", "tempdb.mdf", "templog.ldf", "shop.mdf"],
};

const LOCKED = /(ibdata1|ib_logfile0|tempdb\.mdf|templog\.ldf|shadow)$/;
const CHANGING = /(\.log|syslog|nightly\.sql\.gz|\.mdf|ibdata1|notes\.txt)$/;

/** Builds the file tree of an agent, the same for the same seed. */
export function buildFileTree(seed: number, windows: boolean): FileTree {
  const random = prng(seed);
  const layout = windows ? WINDOWS_LAYOUT : LINUX_LAYOUT;
  const sep = windows ? "\\" : "/";
  const folders = new Set<string>();
  const files: SimFile[] = [];
  for (const [folder, names] of Object.entries(layout)) {
    let current = "";
    for (const part of folder.split(sep)) {
      current = current ? `${current}${sep}${part}` : part;
      if (current && current !== "C:") folders.add(windows ? current : current || "/");
    }
    for (const name of names) {
      const heavy = /\.(mdf|gz|jpg|png|pdf)$|ibdata1/.test(name);
      const size = Math.floor((heavy ? 20_000_000 : 40_000) * (0.5 + random()));
      files.push({ path: `${folder}${sep}${name}`, size, changes: CHANGING.test(name), locked: LOCKED.test(name) });
    }
  }
  return { windows, folders: [...folders].sort(), files };
}

/** Normalises a path for comparisons: separators, trailing separators, case on Windows. */
export function normalisePath(path: string, windows: boolean): string {
  let p = path.trim();
  if (windows) p = p.replaceAll("/", "\\").toLowerCase();
  while (p.length > 1 && (p.endsWith("/") || p.endsWith("\\")) && !/^[a-z]:\\$/i.test(p)) p = p.slice(0, -1);
  return p;
}

/** Whether `path` is `root` or inside it. */
export function isUnder(path: string, root: string, windows: boolean): boolean {
  const p = normalisePath(path, windows);
  const r = normalisePath(root, windows);
  if (p === r) return true;
  const sep = windows ? "\\" : "/";
  return p.startsWith(r.endsWith(sep) ? r : r + sep);
}

export interface Selection {
  include: string[];
  exclude: string[];
}

/** The files a selection picks: under an inclusion and not under an exclusion. */
export function selectFiles(tree: FileTree, selection: Selection): SimFile[] {
  return tree.files.filter(
    (f) =>
      selection.include.some((root) => isUnder(f.path, root, tree.windows)) &&
      !selection.exclude.some((root) => isUnder(f.path, root, tree.windows)),
  );
}

/** `318 bytes`, `178.1 MB`, `3.7 GB`. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `HH:MM:SS`. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}
