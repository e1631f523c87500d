// Errors the engine raises for requests it understood but cannot carry out; every transport shows their message.
import { limitMessage, type LimitStop } from '../shared/job-limits.ts';

export class EngineError extends Error {
  override name = 'EngineError';
}

/** A parameter that does not fit this library (k above the number of faces, an unknown feature). */
export class ParamError extends EngineError {
  override name = 'ParamError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A call that needs a library before one is open. */
export class NoLibraryError extends EngineError {
  override name = 'NoLibraryError';
  constructor() {
    super('no library is open: open a photo folder first');
  }
}

export class NotFoundError extends EngineError {
  override name = 'NotFoundError';
}

/** Long work the user cancelled (job/cancel): the call that started it rejects with this. */
export class JobCancelledError extends EngineError {
  override name = 'JobCancelledError';
}

/** A clustering or map that needs more memory or time than one job may take: refused up front, or stopped when it gets there. */
export class LimitError extends EngineError {
  override name = 'LimitError';
  constructor(readonly stop: LimitStop) {
    super(limitMessage(stop));
  }
}

/** A catalog opened with another folder than its own: refused unless the caller says the library moved there. */
export class LibraryMovedError extends EngineError {
  override name = 'LibraryMovedError';
  constructor(
    readonly catalogFile: string,
    readonly storedRoot: string,
    readonly root: string,
  ) {
    super(
      `catalog ${catalogFile} belongs to the library in ${storedRoot}, not ${root}: if the library moved there, say so (--moved-from ${storedRoot}); otherwise give another catalog`,
    );
  }
}

/** A catalog file Facet cannot use as asked; the message names the file and what to do. */
export class CatalogError extends EngineError {
  override name = 'CatalogError';
}

/** A stored run this Facet cannot read (made by another version, or damaged): refused, left as it is. */
export class UnreadableRunError extends CatalogError {
  override name = 'UnreadableRunError';
}

/** A catalog made by a newer Facet: refused untouched. */
export class CatalogVersionError extends CatalogError {
  override name = 'CatalogVersionError';
}
