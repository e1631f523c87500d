// What the core's algorithms offer and their defaults, in a module with no imports: the contract, the CLI's help and the
// app's forms read them from here (the app through src/shared/choices.ts), so that each is stated once.

/** The 2-D maps project() draws. */
export const PROJECTION_METHODS = ['pca', 'tsne', 'umap'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

/** Independent k-means++ starts; the one with the lowest inertia is kept. */
export const DEFAULT_RESTARTS = 10;
