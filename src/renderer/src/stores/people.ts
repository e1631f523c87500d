// The people the user tags (identities), kept in one list every view reads, and the few most recently used.
import { reactive } from 'vue';
import type { Identity } from '../../../shared/contract.ts';
import { api } from '../api/index.ts';

interface PeopleState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  list: Identity[];
  error: unknown;
  /** Most recently used first; digits 1–9 tag with these. */
  recent: number[];
}

const RECENT_KEY = 'facet.recentPeople';
const RECENT_MAX = 9;

function storedRecent(): number[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isInteger(id)).slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

export const people = reactive<PeopleState>({ status: 'idle', list: [], error: null, recent: storedRecent() });

export async function loadPeople(): Promise<void> {
  if (people.status === 'idle') people.status = 'loading';
  try {
    setList(await api.call('identities/list', {}));
    people.status = 'ready';
    people.error = null;
  } catch (error) {
    people.status = 'error';
    people.error = error;
  }
}

function setList(list: Identity[]): void {
  people.list = list;
  const known = new Set(list.map((p) => p.id));
  people.recent = people.recent.filter((id) => known.has(id));
}

export function personById(id: number | null | undefined): Identity | undefined {
  return id === null || id === undefined ? undefined : people.list.find((p) => p.id === id);
}

/** The person with this name (case-insensitive, as the catalog compares names), if any. */
export function personByName(name: string): Identity | undefined {
  const wanted = name.trim().toLocaleLowerCase();
  return people.list.find((p) => p.name.toLocaleLowerCase() === wanted);
}

/** People whose name contains what was typed, those starting with it first. */
export function matchPeople(typed: string, limit = 8): Identity[] {
  const q = typed.trim().toLocaleLowerCase();
  if (!q) return recentPeople().slice(0, limit);
  const starts: Identity[] = [];
  const contains: Identity[] = [];
  for (const p of people.list) {
    const name = p.name.toLocaleLowerCase();
    if (name.startsWith(q)) starts.push(p);
    else if (name.includes(q)) contains.push(p);
  }
  return [...starts, ...contains].slice(0, limit);
}

export function recentPeople(): Identity[] {
  return people.recent.map((id) => personById(id)).filter((p): p is Identity => p !== undefined);
}

export function markUsed(id: number): void {
  people.recent = [id, ...people.recent.filter((r) => r !== id)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(people.recent));
  } catch {
    // Storage can be disabled: the list then lasts for this page.
  }
}

/** People created by typing a new name while tagging: undoing that tag takes them away again if it leaves them empty. */
const createdByNaming = new Set<number>();

export function wasCreatedByNaming(id: number): boolean {
  return createdByNaming.has(id);
}

/** The existing person with this name, or a new one. */
export async function ensurePerson(name: string): Promise<Identity> {
  const existing = personByName(name);
  if (existing) return existing;
  const created = await api.call('identities/create', { name: name.trim() });
  createdByNaming.add(created.id);
  people.list = [...people.list, created].sort((a, b) => a.name.localeCompare(b.name));
  return created;
}

export async function renamePerson(id: number, name: string): Promise<void> {
  setList(await api.call('identities/rename', { id, name }));
}

export async function mergePeople(from: number, into: number): Promise<void> {
  setList(await api.call('identities/merge', { from, into }));
}

export async function deletePerson(id: number): Promise<void> {
  setList(await api.call('identities/delete', { id }));
}
