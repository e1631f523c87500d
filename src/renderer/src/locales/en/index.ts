// Every English message, one file per area of the app; zh-CN mirrors this shape key for key.
import common from './common.ts';
import errors from './errors.ts';

export default {
  ...common,
  ...errors,
};
