// The sentence that refuses a feature set learned from tagged faces while too few are tagged, naming what to tag: the
// engine throws it (the command line prints it as it is) and the app reads it back to say it in the person's language.

export interface TagsNeeded {
  /** The feature block that learns from the tags. */
  feature: string;
  /** People it needs, each with at least `faces` tagged faces. */
  people: number;
  faces: number;
  /** People with that many tagged faces now. */
  ready: number;
}

export function tagsNeededMessage({ feature, people, faces, ready }: TagsNeeded): string {
  return (
    `features: ${feature} learns from tagged faces: tag at least ${faces} faces each of at least ${people} people ` +
    `(${ready} ${ready === 1 ? 'person has' : 'people have'} that many now), or choose other features`
  );
}

const NEEDED = /features: (\S+) learns from tagged faces: tag at least (\d+) faces each of at least (\d+) people \((\d+) /;

/** What a tagsNeededMessage asks for (the transport may have put the method in front), or undefined for any other message. */
export function readTagsNeeded(message: string): TagsNeeded | undefined {
  const match = NEEDED.exec(message);
  return match ? { feature: match[1], faces: Number(match[2]), people: Number(match[3]), ready: Number(match[4]) } : undefined;
}
