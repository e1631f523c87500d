// Every English message, one file per area of the app; zh-CN mirrors this shape key for key.
import common from './common.ts';

export default {
  ...common,
};
