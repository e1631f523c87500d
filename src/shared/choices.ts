// The core's choices and defaults the contract's schemas and the renderer's forms both show; the renderer may import
// only src/shared, and reads them here without bundling zod or the algorithms.
export { DEFAULT_RESTARTS, PROJECTION_METHODS, type ProjectionMethod } from '../core/choices.ts';
