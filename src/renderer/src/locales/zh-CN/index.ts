// 全部简体中文文本，按应用的区域分文件；结构与英文逐键一致。
import type en from '../en/index.ts';
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
} satisfies typeof en;
