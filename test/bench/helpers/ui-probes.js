// In-page probes of the UI benchmark (injected before the page's own scripts): timings taken inside the page with performance.now() and requestAnimationFrame.
// Plain browser JavaScript: the benchmark's TypeScript is checked without the DOM library.
(() => {
  const GRID_SCROLLER = '[data-testid=grid-scroller]';
  const TILE = '[data-testid=face-tile]';
  /** Every index in the rendered window has a cell, holding a tile or a placeholder while its page loads. */
  const CELL = '[role=gridcell]';
  const WATCH_LIMIT_MS = 30_000;

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  /** Tiles whose box overlaps the scroller's visible area. */
  function visibleTiles(scroller) {
    const view = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll(TILE)].filter((tile) => {
      const box = tile.getBoundingClientRect();
      return box.bottom > view.top && box.top < view.bottom && box.right > view.left && box.left < view.right;
    });
  }

  const imageLoaded = (tile) => {
    const image = tile.querySelector('img');
    return image !== null && image.complete && image.naturalWidth > 0;
  };

  /**
   * Milestones of the first grid, in ms since navigation start, watched from the document's first
   * frame so none is missed: face tiles visible, their images loaded, then decoded and painted
   * (the frame after img.decode() resolves for every visible tile).
   */
  const firstGrid = {};
  function watchFirstGrid() {
    const step = async () => {
      const scroller = document.querySelector(GRID_SCROLLER);
      const tiles = scroller ? visibleTiles(scroller) : [];
      if (tiles.length > 0 && firstGrid.tilesVisibleMs === undefined) firstGrid.tilesVisibleMs = performance.now();
      if (tiles.length > 0 && tiles.every(imageLoaded)) {
        firstGrid.imagesLoadedMs = performance.now();
        firstGrid.visibleTiles = tiles.length;
        await Promise.all(tiles.map((tile) => tile.querySelector('img').decode()));
        await nextFrame();
        firstGrid.paintedMs = performance.now();
        return;
      }
      if (performance.now() < WATCH_LIMIT_MS) requestAnimationFrame(step);
      else firstGrid.timedOut = true;
    };
    requestAnimationFrame(step);
  }

  /** Frame-to-frame intervals of an idle page: the display's frame period. */
  async function idleFrames(durationMs) {
    const intervals = [];
    let last = await nextFrame();
    const end = last + durationMs;
    while (last < end) {
      const now = await nextFrame();
      intervals.push(now - last);
      last = now;
    }
    return intervals;
  }

  /** The scroller's row pitch and column count, from the cells on screen (in index order in the DOM). */
  function gridGeometry(scroller) {
    const tops = [...scroller.querySelectorAll(CELL)].map((tile) => tile.getBoundingClientRect().top);
    const columns = tops.filter((top) => Math.abs(top - tops[0]) < 1).length;
    return { rowPitch: tops[columns] - tops[0], columns };
  }

  /**
   * Scrolls the grid down by `rowsPerFrame` rows at every frame for `durationMs` and records the
   * intervals between frames, and the long tasks (> 50 ms) that ran meanwhile.
   */
  async function scrollFrames(durationMs, rowsPerFrame) {
    const scroller = document.querySelector(GRID_SCROLLER);
    const { rowPitch, columns } = gridGeometry(scroller);
    const longTasks = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => entry.duration)));
    observer.observe({ type: 'longtask' });
    const startTop = scroller.scrollTop;
    const intervals = [];
    let last = await nextFrame();
    const end = last + durationMs;
    while (last < end && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight) {
      scroller.scrollTop += rowPitch * rowsPerFrame;
      const now = await nextFrame();
      intervals.push(now - last);
      last = now;
    }
    observer.disconnect();
    const rowsScrolled = Math.round((scroller.scrollTop - startTop) / rowPitch);
    return { intervals, rowPitch, columns, rowsScrolled, facesScrolledPast: rowsScrolled * columns, longTasks };
  }

  /** Each rendered tile's index in the grid, from its cell's place in the scrolled content. */
  function tilesByIndex() {
    const scroller = document.querySelector(GRID_SCROLLER);
    const { rowPitch, columns } = gridGeometry(scroller);
    const view = scroller.getBoundingClientRect();
    const cells = [...scroller.querySelectorAll(CELL)];
    if (cells.length === 0) return [];
    const firstTop = cells[0].getBoundingClientRect().top - view.top + scroller.scrollTop;
    const firstIndex = Math.round(firstTop / rowPitch) * columns;
    return cells
      .map((cell, i) => ({ index: firstIndex + i, tile: cell.querySelector(TILE) }))
      .filter(({ tile }) => tile !== null)
      .map(({ index, tile }) => ({ index, faceId: Number(tile.dataset.faceId), identity: tile.dataset.identity }));
  }

  /**
   * Arms the tagging stopwatch: it starts at the Enter keydown in the name field (seen first, in
   * the capture phase) and stops at the frame after every one of `faceIds` shows `name` in the grid.
   */
  function armTagWatch(faceIds, name) {
    const watch = {};
    const wanted = new Set(faceIds);
    const scroller = document.querySelector(GRID_SCROLLER);
    const shown = () => {
      const tiles = [...scroller.querySelectorAll(TILE)].filter((tile) => wanted.has(Number(tile.dataset.faceId)));
      return tiles.length === wanted.size && tiles.every((tile) => tile.dataset.identity === name);
    };
    const observer = new MutationObserver(() => {
      if (watch.enterMs === undefined || watch.shownMs !== undefined || !shown()) return;
      observer.disconnect();
      watch.domMs = performance.now();
      requestAnimationFrame(() => (watch.shownMs = performance.now()));
    });
    observer.observe(scroller, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-identity', 'data-face-id'] });
    const onEnter = (event) => {
      if (event.key !== 'Enter' || event.target?.dataset?.testid !== 'name-input') return;
      watch.enterMs = performance.now();
      window.removeEventListener('keydown', onEnter, true);
    };
    window.addEventListener('keydown', onEnter, true);
    window.facetBench.tagWatch = watch;
  }

  /** What the benchmark waits for; checked at every frame (its own waitForFunction would need eval, which the page's CSP forbids). */
  const conditions = {
    firstGridDone: () => firstGrid.paintedMs !== undefined || firstGrid.timedOut === true,
    tileAt: (index) => tilesByIndex().some((tile) => tile.index === index),
    selectionCount: (n) => document.querySelector('[data-testid=selection-count]')?.textContent.replace(/\D/g, '') === String(n),
    imagesLoaded: () => [...document.querySelectorAll(`${GRID_SCROLLER} ${TILE}`)].every(imageLoaded),
    tagShown: () => window.facetBench.tagWatch?.shownMs !== undefined,
  };

  function waitFor(condition, argument, timeoutMs) {
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const step = () => {
        if (conditions[condition](argument)) resolve(true);
        else if (performance.now() - start > timeoutMs) reject(new Error(`waited ${timeoutMs} ms for ${condition}(${argument ?? ''})`));
        else requestAnimationFrame(step);
      };
      step();
    });
  }

  window.facetBench = {
    waitFor,
    firstGrid,
    idleFrames,
    scrollFrames,
    tilesByIndex,
    armTagWatch,
    tagWatch: null,
    gridGeometry: () => gridGeometry(document.querySelector(GRID_SCROLLER)),
  };
  watchFirstGrid();
})();
