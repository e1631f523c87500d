// What each cluster of a run holds: size, the people among its tagged faces (majority, purity, mixing) and its most and least typical faces.

/** A face of a run: its cluster, its distance to the cluster's centre, and its tag (null when untagged). */
export interface ClusterMember {
  faceId: number;
  cluster: number;
  distance: number;
  identityId: number | null;
}

export interface ClusterComposition {
  cluster: number;
  size: number;
  tagged: number;
  /** People among the tagged faces. */
  identities: number;
  /** The person with the most tagged faces here (ties: the lower identity id); null with no tagged face. */
  majority: { identityId: number; faces: number } | null;
  /** majority.faces / tagged; null with no tagged face. */
  purity: number | null;
  /** normalisedEntropy of the people's face counts; null with no tagged face. */
  mixing: number | null;
  /** `samples` face ids nearest the centre first, and `samples` farthest first (ties: lower face id first). */
  nearest: number[];
  farthest: number[];
}

/**
 * Shannon entropy of the counts divided by its maximum, ln(number of non-zero counts): 0 when
 * one group holds everything (and, by definition, for a single group), 1 when all groups are
 * equal. Counts of zero are not groups.
 */
export function normalisedEntropy(counts: readonly number[]): number {
  const groups = counts.filter((c) => c > 0);
  if (groups.length < 2) return 0;
  const total = groups.reduce((s, c) => s + c, 0);
  const entropy = groups.reduce((h, c) => h - (c / total) * Math.log(c / total), 0);
  return Math.min(1, entropy / Math.log(groups.length));
}

/** One entry per cluster that has members, in ascending cluster order. */
export function summariseClusters(members: readonly ClusterMember[], samples: number): ClusterComposition[] {
  const byCluster = new Map<number, ClusterMember[]>();
  for (const member of members) {
    const list = byCluster.get(member.cluster);
    if (list) list.push(member);
    else byCluster.set(member.cluster, [member]);
  }
  return [...byCluster.keys()]
    .sort((a, b) => a - b)
    .map((cluster) => {
      const faces = byCluster.get(cluster)!;
      const people = new Map<number, number>();
      for (const { identityId } of faces) if (identityId !== null) people.set(identityId, (people.get(identityId) ?? 0) + 1);
      let majority: ClusterComposition['majority'] = null;
      for (const [identityId, count] of people)
        if (!majority || count > majority.faces || (count === majority.faces && identityId < majority.identityId)) majority = { identityId, faces: count };
      const tagged = [...people.values()].reduce((s, c) => s + c, 0);
      const byDistance = [...faces].sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
      const byDistanceDown = [...faces].sort((a, b) => b.distance - a.distance || a.faceId - b.faceId);
      return {
        cluster,
        size: faces.length,
        tagged,
        identities: people.size,
        majority,
        purity: majority ? majority.faces / tagged : null,
        mixing: tagged > 0 ? normalisedEntropy([...people.values()]) : null,
        nearest: byDistance.slice(0, samples).map((f) => f.faceId),
        farthest: byDistanceDown.slice(0, samples).map((f) => f.faceId),
      };
    });
}
