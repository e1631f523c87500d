// describeError: people read what went wrong and what to do next, never a method name or schema wording.
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { limitMessage, type LimitedJob } from '../../src/shared/job-limits.ts';
import { tagsNeededMessage } from '../../src/shared/tags-needed.ts';
import { ApiError, fromIpcError } from '../../src/renderer/src/api/api-error.ts';
import { describeError, engineReason } from '../../src/renderer/src/api/error-text.ts';
import en from '../../src/renderer/src/locales/en/index.ts';
import zhCN from '../../src/renderer/src/locales/zh-CN/index.ts';

function translator(locale: 'en' | 'zh-CN') {
  return createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { en, 'zh-CN': zhCN } }).global.t;
}
const t = translator('en');
const tZh = translator('zh-CN');

describe('engineReason', () => {
  it('drops the method and the field the engine names first', () => {
    expect(engineReason('faces/tag: faceIds: no face with id 9')).toBe('no face with id 9');
    expect(engineReason('library/open: root: must be a folder')).toBe('must be a folder');
    expect(engineReason('k: 40 clusters asked for, but only 12 faces to cluster')).toBe('40 clusters asked for, but only 12 faces to cluster');
  });

  it('keeps a reason that starts with words of its own', () => {
    expect(engineReason('library folder /x does not exist or cannot be read')).toBe('library folder /x does not exist or cannot be read');
    expect(engineReason('a scan is running: cancel it before opening another library')).toBe('a scan is running: cancel it before opening another library');
  });
});

describe('describeError', () => {
  it("shows the engine's reason as a sentence, without the method", () => {
    const error = new ApiError('library/open: library folder /photos/x does not exist or cannot be read', 'EngineError', undefined, 409);
    expect(describeError(error, t)).toBe('Library folder /photos/x does not exist or cannot be read.');
    expect(describeError(new ApiError('faces/tag: faceIds: no face with id 9', 'NotFoundError'), t)).toBe('No face with id 9.');
  });

  it('says a run from another version is left out of Runs, instead of the CLI command the engine names', () => {
    const error = new ApiError(
      'runs/get: run 3 was stored by a version of Facet that this one cannot read: delete it (facet delete-run 3) and cluster again',
      'UnreadableRunError',
    );
    expect(describeError(error, t)).toBe(
      'This run was saved by another version of Facet and cannot be read, so Runs leaves it out. Cluster again to make a new one.',
    );
    expect(describeError(error, tZh)).toBe('这次运行由另一版本的 Facet 保存，无法读取，因此“运行”中不显示它。请重新聚类，生成新的运行。');
  });

  it('replaces schema wording and contract errors with what to do', () => {
    const rejected = 'Facet could not carry out this request. Reload the page and try again.';
    expect(describeError(new ApiError('faces/tag: faceIds: Too small: expected array to have >=1 items', 'ParamError'), t)).toBe(rejected);
    expect(describeError(new ApiError('features: Invalid input: expected string, received number', 'ParamError'), t)).toBe(rejected);
    expect(describeError(new ApiError('unknown method "faces/nope"', 'ContractError'), t)).toBe(rejected);
    expect(describeError(new ApiError('people/list: identityId: give the person (identityId)', 'ContractError'), t)).toBe(rejected);
  });

  it('explains the states it knows, with the next step, in the current language', () => {
    expect(describeError(new ApiError('the Facet server does not answer', 'NetworkError'), t)).toMatch(/does not answer.*facet serve is still running/);
    expect(describeError(new ApiError('the server refused this page', 'Unauthorized', undefined, 401), t)).toMatch(/Open the address that facet serve printed/);
    expect(describeError(new ApiError('no library is open: open a photo folder first', 'NoLibraryError'), t)).toBe(
      'No library is open. Open a photo folder in the Library first.',
    );
    expect(describeError(new ApiError('no library is open: open a photo folder first', 'NoLibraryError'), tZh)).toBe(
      '还没有打开图库。请先在“图库”中打开一个照片文件夹。',
    );
    expect(describeError(new ApiError('library/stats: HTTP 502 without a reason', 'ServerError', undefined, 502), t)).toContain('(HTTP 502)');
    expect(describeError(new ApiError('x', 'NetworkError'), tZh)).toContain('facet serve');
  });

  it('reads plain errors and strings, and says something when there is nothing to say', () => {
    expect(describeError(new TypeError('failed to fetch'), t)).toBe('Failed to fetch.');
    expect(describeError('the model file is damaged!', t)).toBe('The model file is damaged!');
    expect(describeError(undefined, t)).toBe('Something went wrong. Try again.');
    expect(describeError(new Error(''), tZh)).toBe('出了点问题，请重试。');
  });

  it('never lets a name in the prototype pass for a known error', () => {
    expect(describeError(Object.assign(new Error('it broke'), { name: 'constructor' }), t)).toBe('It broke.');
  });
});

describe('a job stopped at its limit', () => {
  it('says which job, which limit and what to change, in Chinese too', () => {
    const memory = new ApiError(limitMessage({ job: 'tsne', limit: 'memory', amount: 2048 }), 'LimitError', undefined, 409);
    expect(describeError(memory, t)).toBe(
      'The t-SNE map needs more than 2.0 GB of memory, the most one job may take on this machine: choose the PCA map, which needs far less.',
    );
    expect(describeError(memory, tZh)).toBe('t-SNE 地图需要超过 2.0 GB 的内存，超出了本机上单个任务可用的上限：请改用所需资源少得多的 PCA 地图。');
    // As Electron hands it over: the error's name in front of its message.
    const time = fromIpcError(
      new Error(`Error invoking remote method 'facet:call': LimitError: ${limitMessage({ job: 'threshold', limit: 'time', amount: 600 })}`),
    );
    expect(describeError(time, tZh)).toBe(
      '距离阈值聚类运行超过了 10 分钟，这是单个任务最长的运行时间：请改用所需资源更少的 k 均值，或把不需要聚类的人脸标记为“忽略”。',
    );
  });

  it('words every stop in English as the command line does', () => {
    const jobs: LimitedJob[] = ['kmeans', 'gmm', 'threshold', 'pca', 'tsne', 'umap', 'groups'];
    for (const job of jobs) {
      for (const stop of [
        { limit: 'memory', amount: 512 },
        { limit: 'memory', amount: 1536 },
        { limit: 'time', amount: 0.3 },
        { limit: 'time', amount: 600 },
      ] as const) {
        const message = limitMessage({ job, ...stop });
        expect(describeError(new ApiError(message, 'LimitError'), t)).toBe(`${message[0].toUpperCase()}${message.slice(1)}.`);
        expect(describeError(new ApiError(message, 'LimitError'), tZh)).not.toMatch(/needs|longer|choose|map a run/);
      }
    }
  });
});

describe('a feature set learned from tags, with too few faces tagged', () => {
  it("says what to tag and where, in English and Chinese; the command line keeps the engine's own sentence", () => {
    const message = tagsNeededMessage({ feature: 'landmarks-wccn', people: 4, faces: 4, ready: 1 });
    expect(message).toBe(
      'features: landmarks-wccn learns from tagged faces: tag at least 4 faces each of at least 4 people (1 person has that many now), or choose other features',
    );
    const error = new ApiError(`runs/create: ${message}`, 'ParamError');
    expect(describeError(error, t)).toBe(
      'Landmarks learned from your tags need at least 4 tagged faces each of at least 4 people (people with that many now: 1). Tag more faces in People or Faces, or choose other features.',
    );
    expect(describeError(error, tZh)).toBe(
      '从你的标注中学习的特征点需要至少 4 个人、每人至少 4 张已标注的人脸，目前有 1 人达到：请在“人物”或“人脸”中标注更多人脸，或选择其他特征。',
    );
  });
});
