// Which view is shown, kept in the address's #fragment so a reload (or the back button) stays put.
import { ref } from 'vue';

export type ViewId = 'library' | 'faces' | 'people' | 'clusters' | 'map' | 'validation' | 'runs';

export interface ViewInfo {
  id: ViewId;
  label: string;
  /** One line under the view's title. */
  summary: string;
  ready: boolean;
}

export const views: ViewInfo[] = [
  { id: 'library', label: 'Library', summary: 'Your photo folder, its catalog and the face scan', ready: true },
  { id: 'faces', label: 'Faces', summary: 'Every face found, filtered by cluster, person or quality', ready: false },
  { id: 'people', label: 'People', summary: 'The identities you tag: create, rename, merge, import', ready: false },
  { id: 'clusters', label: 'Clusters', summary: 'What each group of faces looks like and how big it is', ready: false },
  { id: 'map', label: 'Map', summary: 'The faces as a scatter plot: PCA and t-SNE', ready: false },
  { id: 'validation', label: 'Validation', summary: 'How well the clusters match the people you tagged', ready: false },
  { id: 'runs', label: 'Runs', summary: 'Clustering settings, run history and comparisons', ready: false },
];

function fromHash(): ViewId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return views.some((v) => v.id === id) ? (id as ViewId) : 'library';
}

export const currentView = ref<ViewId>(fromHash());

export function go(view: ViewId): void {
  if (currentView.value === view) return;
  currentView.value = view;
  window.location.hash = `/${view}`;
}

window.addEventListener('hashchange', () => {
  currentView.value = fromHash();
});
