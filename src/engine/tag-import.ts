// Imports photo-level identity labels (folder names, CSV rows) as tags on each photo's subject face.
import type { Failure, TagImportResult } from '../shared/contract.ts';
import { parseCsv } from '../core/csv.ts';
import { subjectFace } from '../core/photo-label.ts';
import type { Catalog, FaceRecord } from './catalog/catalog.ts';
import { ParamError } from './errors.ts';

function importLabels(catalog: Catalog, labels: { path: string; name: string }[], skipped: Failure[]): TagImportResult {
  const byPhoto = new Map<string, FaceRecord[]>();
  for (const face of catalog.presentFaces()) {
    const list = byPhoto.get(face.path) ?? [];
    list.push(face);
    byPhoto.set(face.path, list);
  }
  const tags: { faceId: number; name: string }[] = [];
  for (const { path, name } of labels) {
    const faces = byPhoto.get(path);
    if (!faces) {
      skipped.push({ path, reason: catalog.photoIdByPath(path) === undefined ? 'not in the library' : 'no face found in this photo' });
      continue;
    }
    const subject = faces[subjectFace(faces, faces[0].photoWidth, faces[0].photoHeight)];
    tags.push({ faceId: subject.id, name });
  }
  return { labels: labels.length, ...catalog.identities.importTags(tags), skipped };
}

/** `<Person>/<file>.jpg`: the folder a photo is in names its subject. Photos at the root are left alone. */
export function importFromFolders(catalog: Catalog): TagImportResult {
  const labels: { path: string; name: string }[] = [];
  const skipped: Failure[] = [];
  for (const photo of catalog.photos()) {
    if (photo.state !== 'analysed') continue;
    const parts = photo.path.split('/');
    if (parts.length < 2) skipped.push({ path: photo.path, reason: 'not in a folder' });
    else labels.push({ path: photo.path, name: parts[parts.length - 2] });
  }
  return importLabels(catalog, labels, skipped);
}

/** CSV rows `path,identity` (a header row of exactly that is skipped), paths relative to the library root. */
export function importFromCsv(catalog: Catalog, text: string): TagImportResult {
  const rows = parseCsv(text);
  const [first] = rows;
  if (first && first.fields[0]?.trim().toLowerCase() === 'path' && first.fields[1]?.trim().toLowerCase() === 'identity') rows.shift();
  const labels: { path: string; name: string }[] = [];
  const skipped: Failure[] = [];
  for (const { fields, line } of rows) {
    const [path, name] = fields.map((f) => f.trim());
    if (fields.length < 2 || !path || !name) skipped.push({ path: path ?? '', reason: `line ${line}: expected path,identity` });
    else labels.push({ path: path.replace(/\\/g, '/').replace(/^\.\//, ''), name });
  }
  if (labels.length === 0) throw new ParamError('csv: no usable path,identity rows', 'csv');
  return importLabels(catalog, labels, skipped);
}
