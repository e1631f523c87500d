// Ambient types for the renderer: .vue modules and the bridge the Electron preload exposes.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

/** window.facet as src/preload/index.ts exposes it (declared here so the renderer needs no Electron types). */
interface FacetBridge {
  call(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
  /** The native folder dialog; only some shells provide it. */
  chooseFolder?: () => Promise<string | null>;
}

interface Window {
  facet?: FacetBridge;
}
