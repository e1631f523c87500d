// English: units of the numbers on screen (durations, rates), used by format.ts.
export default {
  units: {
    milliseconds: '{n} ms',
    seconds: '{n} s',
    minutes: '{n} min',
    hours: '{n} h',
    underASecond: '< 1 s',
    perSecond: '{n}/s',
    perMinute: '{n}/min',
  },
};
