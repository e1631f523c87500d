// Quality gates: each threshold gives its own reason, at the documented defaults and at custom ones; which gates a run applies.
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUALITY_GATES, gatesFor, qualityFailures, qualityIssues } from '../../src/core/quality.ts';

const good = { score: 0.99, size: 100, yaw: 10, fitResidual: 0.1 };

describe('qualityIssues', () => {
  it('passes a good face', () => {
    expect(qualityIssues(good)).toEqual([]);
  });

  it('names every gate a face fails', () => {
    const issues = qualityIssues({ score: 0.3, size: 20, yaw: -60, fitResidual: 0.5 });
    expect(issues).toHaveLength(4);
    expect(issues[0]).toMatch(/detection score 0.30 < 0.5/);
    expect(issues[1]).toMatch(/face 20 px < 32 px/);
    expect(issues[2]).toMatch(/residual 0.500 > 0.2/);
    expect(issues[3]).toMatch(/head turned 60° > 45°/);
  });

  it('treats the thresholds as inclusive bounds and unknown pose as no issue', () => {
    const { minScore, minSize, maxFitResidual, maxYaw } = DEFAULT_QUALITY_GATES;
    expect(qualityIssues({ score: minScore, size: minSize, yaw: maxYaw, fitResidual: maxFitResidual })).toEqual([]);
    expect(qualityIssues({ ...good, yaw: null, fitResidual: null })).toEqual([]);
  });

  it('uses the gates it is given', () => {
    expect(qualityIssues(good, { ...DEFAULT_QUALITY_GATES, minSize: 150 })).toEqual(['face 100 px < 150 px']);
  });
});

describe('qualityFailures', () => {
  it('gives each failing gate by name with its value and limit, yaw as an absolute angle', () => {
    expect(qualityFailures({ score: 0.3, size: 20, yaw: -60, fitResidual: 0.5 })).toEqual([
      { gate: 'score', value: 0.3, limit: 0.5 },
      { gate: 'size', value: 20, limit: 32 },
      { gate: 'residual', value: 0.5, limit: 0.2 },
      { gate: 'yaw', value: 60, limit: 45 },
    ]);
    expect(qualityFailures(good)).toEqual([]);
  });
});

describe('gatesFor', () => {
  it('applies every gate to features that read the landmarks, and only the detection score to the descriptor alone', () => {
    expect(gatesFor(true)).toEqual(['score', 'size', 'residual', 'yaw']);
    expect(gatesFor(false)).toEqual(['score']);
  });
});
