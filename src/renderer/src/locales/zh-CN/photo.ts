// 简体中文：照片查看器。
import type en from '../en/photo.ts';

export default {
  photo: {
    eyebrow: '照片',
    boxes: '人脸框',
    landmarks: '特征点',
    addFace: '补充漏检的人脸',
    addThisFace: '添加这张人脸',
    adding: '正在定位特征点…',
    added: '已添加人脸。这是谁？',
    drawHint: '在扫描漏掉的人脸周围拖出一个框，Facet 会计算它的特征点和描述向量。',
    previous: '上一张照片 (←)',
    next: '下一张照片 (→)',
    noFaces: '这张照片里没有找到人脸。如果其实有，请画框添加。',
    tag: '这是谁？',
    retag: '更改',
    unmark: '撤销标注',
    unmarked: '已撤销标注',
    drawnByHand: '手动添加',
    score: '检测分数 {score}',
    keysLine: '上一张、下一张 · L 特征点 · B 画框添加人脸 · Ctrl+Z 撤销',
    errorTitle: '无法显示这张照片',
    backToFaces: '返回人脸',
  },
} satisfies typeof en;
