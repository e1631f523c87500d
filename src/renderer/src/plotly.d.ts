// The little of plotly.js's API the renderer uses: its strict bundle ships without types.
declare module 'plotly.js-strict-dist-min' {
  /** The chart's element once plotly has drawn into it: plotly's events are subscribed on it. */
  export interface PlotlyElement extends HTMLElement {
    on(event: string, listener: (data: unknown) => void): void;
    removeAllListeners(event?: string): void;
  }

  const Plotly: {
    react(root: HTMLElement, data: object[], layout?: object, config?: object): Promise<PlotlyElement>;
    relayout(root: HTMLElement, update: object): Promise<PlotlyElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): Promise<void> };
  };
  export default Plotly;
}
