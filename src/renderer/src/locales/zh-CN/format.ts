// 简体中文：屏幕上数字的单位（时长、速度），供 format.ts 使用。
import type en from '../en/format.ts';

export default {
  units: {
    milliseconds: '{n} 毫秒',
    seconds: '{n} 秒',
    minutes: '{n} 分钟',
    hours: '{n} 小时',
    underASecond: '不到 1 秒',
    perSecond: '{n} 张/秒',
    perMinute: '{n} 张/分钟',
  },
} satisfies typeof en;
