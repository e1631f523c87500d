// 简体中文：应用框架、导航和各视图共用的词语。
import type en from '../en/common.ts';

export default {
  app: {
    name: 'Facet',
    desktop: '桌面应用',
    browser: '浏览器 · facet serve',
    viewFailed: '无法加载此视图。请刷新页面；如果再次出现，请重新安装 Facet。',
    language: '语言',
    connection: {
      connecting: '正在连接…',
      connected: '已连接',
      reconnecting: '正在重新连接…',
      lost: '已断开',
      reconnectingBanner: '与 Facet 引擎的连接中断，正在重新连接。进度稍后会同步。',
      lostBanner: '无法连接 Facet 引擎。请重新启动 {command}，并打开它显示的地址。',
    },
    notFound: {
      title: '这里什么也没有',
      text: '这个地址不对应 Facet 的任何视图。',
      back: '前往图库',
    },
  },
  nav: {
    label: '视图',
    library: '图库',
    faces: '人脸',
    people: '人物',
    review: '审核',
    clusters: '聚类',
    map: '地图',
    scanRunning: '正在扫描',
    notScanned: '尚未扫描',
    openLibrary: '打开图库',
  },
  common: {
    photos: '没有照片 | {n} 张照片 | {n} 张照片',
    faces: '没有人脸 | {n} 张人脸 | {n} 张人脸',
    people: '没有人物 | {n} 个人物 | {n} 个人物',
    cancel: '取消',
    close: '关闭',
    save: '保存',
    delete: '删除',
    rename: '重命名',
    retry: '重试',
    loading: '正在加载…',
    untagged: '未标记',
    unknownError: '出了点问题',
    noLibrary: '还没有打开图库。',
    openLibraryFirst: '请先在“图库”中打开一个照片文件夹。',
    toLibrary: '前往图库',
  },
} satisfies typeof en;
