// Renders scan progress as one line: a bar on a terminal, plain periodic lines otherwise.
import type { JobProgress } from '../shared/contract.ts';
import { count } from './messages.ts';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

function progressLine(p: JobProgress, width = 24): string {
  if (p.stage === 'walking') return `finding photos… ${p.total} found`;
  if (p.stage === 'loading-models') return `loading face models… ${count(p.total, 'photo')} to analyse`;
  const share = p.total > 0 ? p.done / p.total : 1;
  const filled = Math.round(share * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  return (
    `${bar} ${p.done}/${p.total} photos · ${count(p.faces, 'face')} · ${p.failures} failed · ` +
    `${p.rate.toFixed(1)}/s · ${formatDuration(p.secondsLeft)} left`
  );
}

/** Returns the listener that draws progress to `stream`, and a function that ends the line. */
export function progressPrinter(stream: NodeJS.WriteStream): { update: (p: JobProgress) => void; end: () => void } {
  if (stream.isTTY) {
    return {
      update: (p) => stream.write(`\r\x1b[2K${progressLine(p, Math.min(30, Math.max(10, (stream.columns ?? 80) - 70)))}`),
      end: () => stream.write('\n'),
    };
  }
  let last = 0;
  let lastStage: JobProgress['stage'] | undefined;
  return {
    update: (p) => {
      // A line every 5 s at most, and one at each change of stage (the wait for the models shows at once).
      if (Date.now() - last < 5000 && p.stage === lastStage && p.stage !== 'done') return;
      last = Date.now();
      lastStage = p.stage;
      stream.write(`${progressLine(p)}\n`);
    },
    end: () => undefined,
  };
}
