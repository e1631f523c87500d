// Every view has an address (hash history, so it works under the Electron protocol and `facet serve` alike).
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { t } from '../i18n/index.ts';
import { notifyError } from '../stores/toasts.ts';
import LibraryView from '../views/library/LibraryView.vue';

/** The views in the navigation, in its order; each names its icon and its i18n label key. */
export const NAV_VIEWS = ['library', 'faces', 'people', 'review', 'clusters', 'map', 'validation', 'runs', 'match'] as const;
export type NavView = (typeof NAV_VIEWS)[number];

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/library' },
  { path: '/library', name: 'library', component: LibraryView },
  // Filters, sort and the photo being looked at live in the query, so a reload keeps them.
  { path: '/faces', name: 'faces', component: () => import('../views/faces/FacesView.vue') },
  { path: '/photos/:id(\\d+)', name: 'photo', component: () => import('../views/photo/PhotoView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
  { path: '/people', name: 'people', component: () => import('../views/people/PeopleView.vue') },
  { path: '/people/:id(\\d+)', name: 'person', component: () => import('../views/people/PersonView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
  { path: '/review', name: 'review', component: () => import('../views/review/ReviewView.vue') },
  // The run, the open cluster, the map's method and colouring live in the query, so a reload keeps them.
  { path: '/clusters', name: 'clusters', component: () => import('../views/clusters/ClustersView.vue') },
  { path: '/map', name: 'map', component: () => import('../views/map/MapView.vue') },
  // The run looked at (?run=) and the pair compared (?compare=a,b) live in the query, so a reload keeps them.
  { path: '/validation', name: 'validation', component: () => import('../views/validation/ValidationView.vue') },
  { path: '/runs', name: 'runs', component: () => import('../views/runs/RunsView.vue') },
  // The run matched against lives in the query (?run=); the photo is never in the address (it is not stored anywhere).
  { path: '/match', name: 'match', component: () => import('../views/match/MatchView.vue') },
  { path: '/:unknown(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue') },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

// A view's code that fails to load (the app was rebuilt under an open page, a broken install) is said on screen.
router.onError((error) => notifyError(t('app.viewFailed'), error));
