// 简体中文：出了什么问题，用人能看懂的话说明，并给出下一步该怎么做。
import type en from '../en/errors.ts';

export default {
  errors: {
    network: 'Facet 引擎没有响应。请确认 facet serve 仍在运行，然后重试。',
    unauthorized: '此页面没有有效的会话。请打开 facet serve 显示的地址（以 ?token=… 结尾）。',
    noLibrary: '还没有打开图库。请先在“图库”中打开一个照片文件夹。',
    rejected: 'Facet 无法执行这个请求。请刷新页面后重试。',
    server: 'Facet 引擎出错，但没有说明原因（HTTP {status}）。请重试；如果一直失败，请重新启动 Facet。',
    unknown: '出了点问题，请重试。',
    noReason: '引擎没有说明原因。',
  },
} satisfies typeof en;
