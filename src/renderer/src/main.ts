// Renderer entry: global styles, then the Vue app with its router and translations.
import { createApp } from 'vue';
import './styles/base.css';
import App from './App.vue';
import { i18n } from './i18n/index.ts';
import { router } from './router/index.ts';

createApp(App).use(i18n).use(router).mount('#app');
