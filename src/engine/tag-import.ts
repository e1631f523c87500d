// Imports photo-level identity labels (folder names, CSV rows) as tags on each photo's subject face: plan, then write or preview.
import type { Failure, Params, TagImportPreview, TagImportResult } from '../shared/contract.ts';
import { CsvSyntaxError, parseCsv, type CsvRow } from '../core/csv.ts';
import { subjectFace } from '../core/photo-label.ts';
import type { Catalog } from './catalog/catalog.ts';
import { ParamError } from './errors.ts';
import type { FaceIndex, IndexedFace } from './face-index.ts';

interface Label {
  path: string;
  name: string;
}

/** What an import would write: one tag per face (the last label naming its photo wins), and the labels it cannot use. */
interface ImportPlan {
  labels: number;
  photos: number;
  tags: { faceId: number; name: string }[];
  skipped: Failure[];
}

/** `<Person>/<file>.jpg`: the folder a photo is in names its subject. Photos at the root are left alone. */
function labelsFromFolders(catalog: Catalog): { labels: Label[]; skipped: Failure[] } {
  const labels: Label[] = [];
  const skipped: Failure[] = [];
  for (const photo of catalog.photos.all()) {
    if (photo.state !== 'analysed') continue;
    const parts = photo.path.split('/');
    if (parts.length < 2) skipped.push({ path: photo.path, reason: 'not in a folder' });
    else labels.push({ path: photo.path, name: parts[parts.length - 2] });
  }
  return { labels, skipped };
}

/** CSV rows `path,identity` (a header row of exactly that is skipped), paths relative to the library root. */
function labelsFromCsv(text: string): { labels: Label[]; skipped: Failure[] } {
  let rows: CsvRow[];
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ParamError(`csv: ${error.message}`, 'csv');
    throw error;
  }
  const [first] = rows;
  if (first && first.fields[0]?.trim().toLowerCase() === 'path' && first.fields[1]?.trim().toLowerCase() === 'identity') rows.shift();
  const labels: Label[] = [];
  const skipped: Failure[] = [];
  for (const { fields, line } of rows) {
    const [path, name] = fields.map((f) => f.trim());
    if (fields.length < 2 || !path || !name) skipped.push({ path: path ?? '', reason: `line ${line}: expected path,identity` });
    else labels.push({ path: path.replace(/\\/g, '/').replace(/^\.\//, ''), name });
  }
  if (labels.length === 0) throw new ParamError('csv: no usable path,identity rows', 'csv');
  return { labels, skipped };
}

/**
 * Each label tags its photo's subject face (the one nearest the centre) among the faces the user
 * has not marked; a face the user tagged by hand is left as it is.
 */
function planImport(catalog: Catalog, index: FaceIndex, source: Params<'tags/import'>): ImportPlan {
  const { labels, skipped } = source.from === 'folders' ? labelsFromFolders(catalog) : labelsFromCsv(source.csv);
  const byPhoto = new Map<string, IndexedFace[]>();
  for (const face of index.faces) {
    if (!face.present || index.mark(face.id) !== null) continue;
    const list = byPhoto.get(face.path) ?? [];
    list.push(face);
    byPhoto.set(face.path, list);
  }
  const tags = new Map<number, string>();
  const photos = new Set<string>();
  for (const { path, name } of labels) {
    const faces = byPhoto.get(path);
    if (!faces) {
      skipped.push({ path, reason: catalog.photos.idByPath(path) === undefined ? 'not in the library' : 'no face found in this photo' });
      continue;
    }
    photos.add(path);
    const subject = faces[subjectFace(faces, faces[0].photoWidth, faces[0].photoHeight)];
    if (index.tag(subject.id)?.source !== 'user') tags.set(subject.id, name);
  }
  return { labels: labels.length, photos: photos.size, tags: [...tags].map(([faceId, name]) => ({ faceId, name })), skipped };
}

export function importTags(catalog: Catalog, index: FaceIndex, source: Params<'tags/import'>): TagImportResult {
  const plan = planImport(catalog, index, source);
  return { labels: plan.labels, ...catalog.identities.importTags(plan.tags), skipped: plan.skipped };
}

/** What importTags would do, without writing anything. */
export function previewTags(catalog: Catalog, index: FaceIndex, source: Params<'tags/preview'>): TagImportPreview {
  const plan = planImport(catalog, index, source);
  const people = new Map<string, { name: string; faces: number; isNew: boolean }>();
  for (const { name } of plan.tags) {
    const key = name.trim().toLowerCase();
    const person = people.get(key) ?? { name: name.trim(), faces: 0, isNew: catalog.identities.idByName(name) === undefined };
    person.faces++;
    people.set(key, person);
  }
  return { labels: plan.labels, photos: plan.photos, faces: plan.tags.length, people: [...people.values()], unmatched: plan.skipped };
}
