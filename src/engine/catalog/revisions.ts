// Change counters of one catalog connection, so that what the engine derives from the catalog knows when to rebuild.

export interface Revisions {
  /** Photos and faces: what the machine found (and faces drawn by hand). */
  machine: number;
  /** Tags, identities, marks and rejections. */
  edits: number;
}
