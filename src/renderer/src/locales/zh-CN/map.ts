// 简体中文：地图视图（一次运行中人脸的二维散点图）、着色方式、图例、悬停卡片和选择面板。
import type en from '../en/map.ts';

export default {
  map: {
    title: '地图',
    summary: '一次运行中的每张人脸都是一个点；在特征看来相像的人脸彼此靠近。把鼠标移到点上可查看人脸，圈选一些点即可标记。',
    method: {
      label: '地图',
      pca: 'PCA',
      tsne: 't-SNE',
      umap: 'UMAP',
      hint: {
        pca: '人脸差异最大的两个方向：距离如实，但各组可能重叠。',
        tsne: '让相邻的人脸聚在一起：各组分得清楚，但组与组之间的距离意义不大。',
        umap: '让相邻的人脸聚在一起，并比 t-SNE 保留更多整体结构。',
      },
    },
    colour: {
      label: '着色依据',
      cluster: '聚类',
      person: '人物',
      quality: '质量门槛',
      yaw: '头部转向（偏航角）',
    },
    tools: {
      label: '工具',
      lasso: '套索',
      box: '框选',
      pan: '移动',
      reset: '显示全部',
      hint: '圈住一些点或点击某个点即可选中；滚动鼠标滚轮可缩放；按 Esc 取消选择，双击还会让地图显示全部。',
    },
    axis: {
      pc: '主成分 {n}',
    },
    points: '已绘制 {n} 张人脸',
    sampled: '人脸太多，{method} 无法全部排布：它排布了 {sample} 张（按每个聚类的比例抽样），其余每张人脸放在与它最近的样本人脸之间。',
    progress: {
      title: '正在计算 {method} 地图…',
      hint: '地图算好后会保存下来：下次打开时立即显示。',
      cancelled: '地图计算已取消。',
      again: '计算地图',
    },
    legend: {
      title: '图例',
      cluster: '聚类 {n}',
      untagged: '未标记',
      passed: '通过全部门槛',
      unknownYaw: '偏航角未知',
      left: '转向一侧',
      frontal: '正对镜头',
      right: '转向另一侧',
      degrees: '{n}°',
    },
    hover: {
      cluster: '聚类 {n}',
    },
    selection: {
      title: '未选中人脸 | 已选中 {n} 张人脸 | 已选中 {n} 张人脸',
      checked: '将标记 {total} 张中的 {n} 张',
      hint: '点击人脸可将其排除。',
      tag: '标记为…',
      clear: '取消选择',
      page: '第 {from}–{to} 张，共 {total} 张',
      previous: '上一页',
      next: '下一页',
      tagged: '已将 {n} 张人脸标记为 {name} | 已将 {n} 张人脸标记为 {name}',
    },
    error: {
      map: '无法计算地图。',
      tag: '未能标记这些人脸。',
      cancel: '无法取消地图计算。',
    },
  },
  chart: {
    failed: '无法绘制图表。',
  },
} satisfies typeof en;
