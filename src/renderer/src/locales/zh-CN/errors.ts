// 简体中文：出了什么问题，用人能看懂的话说明，并给出下一步该怎么做。
import type en from '../en/errors.ts';

export default {
  errors: {
    network: 'Facet 引擎没有响应。请确认 facet serve 仍在运行，然后重试。',
    unauthorized: '此页面没有有效的会话。请打开 facet serve 显示的地址（以 ?token=… 结尾）。',
    noLibrary: '还没有打开图库。请先在“图库”中打开一个照片文件夹。',
    rejected: 'Facet 无法执行这个请求。请刷新页面后重试。',
    unreadableRun: '这次运行由另一版本的 Facet 保存，无法读取，因此“运行”中不显示它。请重新聚类，生成新的运行。',
    server: 'Facet 引擎出错，但没有说明原因（HTTP {status}）。请重试；如果一直失败，请重新启动 Facet。',
    unknown: '出了点问题，请重试。',
    tagsNeeded:
      '从你的标注中学习的特征点需要至少 {people} 个人、每人至少 {faces} 张已标注的人脸，目前有 {ready} 人达到：请在“人物”或“人脸”中标注更多人脸，或选择其他特征。',
    noReason: '引擎没有说明原因。',
    limit: {
      memory: '{job}需要超过 {amount} 的内存，超出了本机上单个任务可用的上限：{next}。',
      time: '{job}运行超过了 {amount}，这是单个任务最长的运行时间：{next}。',
      minutes: '{n} 分钟',
      seconds: '{n} 秒',
      jobs: {
        kmeans: 'k 均值聚类',
        gmm: '高斯混合聚类',
        threshold: '距离阈值聚类',
        pca: 'PCA 地图',
        tsne: 't-SNE 地图',
        umap: 'UMAP 地图',
        groups: '未知人物的分组',
      },
      next: {
        kmeans: '请选择更小的 k、更少的特征或更少的主成分',
        gmm: '请改用所需资源少得多的 k 均值，或选择更小的 k',
        threshold: '请改用所需资源更少的 k 均值，或把不需要聚类的人脸标记为“忽略”',
        pca: '请为使用更少特征或主成分的运行绘制地图',
        tsne: '请改用所需资源少得多的 PCA 地图',
        umap: '请改用所需资源少得多的 PCA 地图',
        groups: '请先标记一部分未标记的人脸，或把不需要的人脸标记为“忽略”',
      },
    },
  },
} satisfies typeof en;
