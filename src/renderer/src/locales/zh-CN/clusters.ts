// 简体中文：聚类视图（每次运行的每个聚类一张卡片、单个聚类的画廊），以及与地图共用的运行选择器。
import type en from '../en/clusters.ts';

export default {
  clusters: {
    title: '聚类',
    summary: '看一次运行的每个聚类是否聚得好：主要是谁、有多纯、最典型的人脸和离群的人脸。',
    overview: '{clusters} · {faces} · 已标记人脸的纯度为 {purity}',
    overviewUntagged: '{clusters} · {faces} · 标记一些人脸后即可看到各聚类的纯度',
    count: '没有聚类 | {n} 个聚类 | {n} 个聚类',
    cluster: '聚类 {n}',
    sort: {
      label: '排序',
      cluster: '按编号',
      size: '从大到小',
      purity: '纯度最低的在前',
    },
    majority: '主要是 {name}',
    majorityFaces: '已标记的 {tagged} 张中占 {faces} 张',
    noTagged: '没有已标记的人脸',
    purity: '纯度',
    purityHint: '已标记人脸中属于占多数者的比例：100% 表示这个聚类只有一个人。',
    people: '没有人物 | {n} 个人物 | {n} 个人物',
    mixing: {
      pure: '只有一人',
      low: '略有混杂',
      medium: '混杂',
      high: '高度混杂',
      hint: '已标记的人脸在 {people}之间分布得有多均匀：{value}，范围从 0（全是同一人）到 1（平均混杂）。',
    },
    bar: {
      majority: '{name}：{n}',
      others: '其他人物：{n}',
      untagged: '未标记：{n}',
    },
    nearest: '最典型',
    farthest: '离中心最远',
    open: '打开聚类 {n}',
    gallery: {
      back: '全部聚类',
      summary: '{faces}，离中心最近的在前。选中人脸后输入姓名，即可标记或改标为其他人物。',
      previous: '上一个聚类',
      next: '下一个聚类',
      openInFaces: '在“人脸”中打开',
      openInFacesOlder: '“人脸”视图显示的是最新一次运行的聚类；请先选择最新的运行，再在那里打开。',
      empty: '这个聚类已经没有人脸了。',
      missing: '运行 {run} 中没有聚类 {n}。',
    },
    error: {
      runs: '无法加载运行记录。',
      clusters: '无法加载聚类。',
    },
  },
  runPicker: {
    label: '运行',
    option: '运行 {id} · {algorithm} k={k} · {date}',
    latest: '{run}（最新）',
  },
  noRuns: {
    title: '还没有聚类',
    text: '先对人脸聚类一次，就能看到各组聚得如何。默认设置（k-means，基于人脸描述子分成 10 个聚类）是不错的起点；“运行”视图中有全部设置。',
    toRuns: '选择设置',
    clusterNow: '按默认设置聚类',
    clustering: '正在对人脸聚类…',
    cancelled: '聚类已取消。',
    cancelFailed: '无法取消聚类。',
    failed: '无法对人脸聚类。',
  },
  jobProgress: {
    starting: '正在启动…',
    step: '第 {done} 步，共 {total} 步',
  },
} satisfies typeof en;
