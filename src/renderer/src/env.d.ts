// Ambient types for the renderer: .vue modules and the bridge the Electron preload exposes.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface Window {
  /** The preload's bridge, inside Electron only (its type is in src/shared, so the renderer needs no Electron types). */
  facet?: import('../../shared/channels.ts').FacetApi;
}
