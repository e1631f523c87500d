// Identity tags as callers hold them (names, ids, null for untagged) turned into dense integer codes.

/** A face's identity: a name or id; null, undefined or −1 mean the face is not tagged. */
export type IdentityLabel = string | number | null | undefined;

export interface EncodedLabels {
  /** Per face: index into `names`, or −1 when untagged. */
  codes: Int32Array;
  /** Identity names (String() of the label) in order of first appearance. */
  names: string[];
}

export function encodeLabels(labels: ArrayLike<IdentityLabel>): EncodedLabels {
  const codes = new Int32Array(labels.length);
  const names: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === null || label === undefined || label === -1) {
      codes[i] = -1;
      continue;
    }
    const name = String(label);
    let code = index.get(name);
    if (code === undefined) {
      code = names.length;
      index.set(name, code);
      names.push(name);
    }
    codes[i] = code;
  }
  return { codes, names };
}
