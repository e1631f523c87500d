// Which library folders the Electron window may open: only those main itself offered (its folder dialog, its recent list).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkLibraryRoot, type RootCheck, type RootContext } from '../shared/library-root.ts';

/** How many recently opened libraries main remembers. */
export const RECENT_MAX = 10;

/**
 * The one trusted check of a root the renderer asks to open: a valid library folder (checkLibraryRoot) that is,
 * once normalised, one main offered. A compromised renderer can then name no folder the user did not pick.
 */
export function checkOfferedRoot(root: string, offered: Iterable<string>, context: RootContext): RootCheck {
  const checked = checkLibraryRoot(root, context);
  if (!checked.ok) return checked;
  for (const candidate of offered) {
    const known = checkLibraryRoot(candidate, context);
    if (known.ok && known.root === checked.root) return checked;
  }
  return { ok: false, reason: `${checked.root} was not chosen in this window: choose the folder with Open folder…` };
}

/** `root` first, then the others, without repeats, at most RECENT_MAX. */
export function withRecent(recent: readonly string[], root: string): string[] {
  return [root, ...recent.filter((r) => r !== root)].slice(0, RECENT_MAX);
}

/** The recent list as stored in userData; anything malformed or no longer a valid library folder is dropped. */
export function parseRecent(text: string, context: RootContext): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const roots: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const checked = checkLibraryRoot(item, context);
    if (checked.ok && !roots.includes(checked.root)) roots.push(checked.root);
  }
  return roots.slice(0, RECENT_MAX);
}

/** Main's state: the folders its dialog returned this session, and the recent list persisted as JSON in userData. */
export class OfferedRoots {
  private readonly chosen = new Set<string>();
  private recentRoots: string[];

  constructor(
    private readonly file: string,
    private readonly context: RootContext,
  ) {
    let text = '[]';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // No list yet (first launch): start empty.
    }
    this.recentRoots = parseRecent(text, context);
  }

  get recent(): readonly string[] {
    return this.recentRoots;
  }

  /** A folder main's own dialog returned. */
  addChosen(root: string): void {
    this.chosen.add(root);
  }

  check(root: string): RootCheck {
    return checkOfferedRoot(root, [...this.chosen, ...this.recentRoots], this.context);
  }

  /** A library opened: it heads the recent list, written through a temporary file so a crash leaves the old list whole. */
  addOpened(root: string): void {
    const checked = checkLibraryRoot(root, this.context);
    if (!checked.ok) return;
    this.recentRoots = withRecent(this.recentRoots, checked.root);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(`${this.file}.tmp`, JSON.stringify(this.recentRoots, null, 2));
      renameSync(`${this.file}.tmp`, this.file);
    } catch {
      // The library did open; a list that cannot be saved (a full or read-only disk) is only forgotten at the next launch.
    }
  }
}
