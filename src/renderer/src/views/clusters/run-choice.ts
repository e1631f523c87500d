// The run the Clusters and Map views look at: every run of the open library, and the one the address names (`run=`), else the latest.
import { computed, ref, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { RunSummary } from '../../../../shared/contract.ts';
import { api } from '../../api/index.ts';
import { library } from '../../stores/library.ts';

/** One value of the address's query, or undefined when it is absent, empty or repeated. */
export function queryValue(query: LocationQuery, key: string): string | undefined {
  const value = query[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function useRunChoice() {
  const route = useRoute();
  const router = useRouter();
  const runs = ref<RunSummary[]>([]);
  const status = ref<'loading' | 'ready' | 'error'>('loading');
  const error = ref<unknown>(null);

  async function load(): Promise<void> {
    if (library.status !== 'open') return;
    status.value = 'loading';
    try {
      runs.value = await api.call('runs/list', {});
      status.value = 'ready';
    } catch (failure) {
      error.value = failure;
      status.value = 'error';
    }
  }

  // runs/list answers oldest first.
  const latest = computed(() => runs.value.at(-1) ?? null);
  /** An address naming a run that is gone (deleted, another library) falls back to the latest rather than failing. */
  const run = computed(() => {
    const wanted = Number(queryValue(route.query, 'run'));
    return runs.value.find((r) => r.id === wanted) ?? latest.value;
  });

  /** Another run: what the view showed inside the old one (an open cluster) does not carry over. */
  function choose(id: number): void {
    void router.replace({ query: { ...route.query, run: String(id), cluster: undefined } });
  }

  watch(() => [library.status, library.root], load, { immediate: true });

  return { runs, status, error, latest, run, load, choose };
}
