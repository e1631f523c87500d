// Renderer entry: global styles, then the Vue app.
import { createApp } from 'vue';
import './styles/base.css';
import App from './App.vue';

createApp(App).mount('#app');
