// Every English message, one file per area of the app; zh-CN mirrors this shape key for key.
import common from './common.ts';
import faces from './faces.ts';
import photo from './photo.ts';
import errors from './errors.ts';
import format from './format.ts';
import library from './library.ts';
import people from './people.ts';
import review from './review.ts';
import clusters from './clusters.ts';
import map from './map.ts';
import runs from './runs.ts';
import validation from './validation.ts';
import match from './match.ts';

export default {
  ...common,
  ...faces,
  ...photo,
  ...errors,
  ...format,
  ...library,
  ...people,
  ...review,
  ...clusters,
  ...map,
  ...runs,
  ...validation,
  ...match,
};
