// In-page probes of the UI benchmark (injected before the page's own scripts): timings taken inside the page with performance.now() and requestAnimationFrame.
// Plain browser JavaScript: the benchmark's TypeScript is checked without the DOM library.
(() => {
  const GRID_SCROLLER = '[data-testid=grid-scroller]';
  const TILE = '[data-testid=face-tile]';
  /** Every index in the rendered window has a cell, holding a tile or a placeholder while its page loads. */
  const CELL = '[role=gridcell]';
  const WATCH_LIMIT_MS = 30_000;

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  /**
   * Every contract call the page makes, with its method and in-page times: fetch called, headers in, JSON answer parsed
   * (the app reads every answer with response.json()). Splits a view's wait for the engine from its own drawing.
   */
  const apiCalls = [];
  const pageFetch = window.fetch;
  window.fetch = function (input, init) {
    const answer = pageFetch.call(this, input, init);
    const url = typeof input === 'string' ? input : (input?.url ?? String(input));
    if (!url.includes('/api/call')) return answer;
    let method = null;
    try {
      method = JSON.parse(init?.body).method;
    } catch {
      // Not the app's JSON call: recorded without a method.
    }
    const call = { method, startMs: performance.now(), responseMs: null, answeredMs: null };
    apiCalls.push(call);
    return answer.then((response) => {
      call.responseMs = performance.now();
      const json = response.json.bind(response);
      response.json = () =>
        json().then((body) => {
          call.answeredMs = performance.now();
          return body;
        });
      return response;
    });
  };

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
   * intervals between frames, each frame's main-thread work, and the long tasks (> 50 ms) that ran meanwhile.
   */
  async function scrollFrames(durationMs, rowsPerFrame) {
    const scroller = document.querySelector(GRID_SCROLLER);
    const { rowPitch, columns } = gridGeometry(scroller);
    const longTasks = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => entry.duration)));
    observer.observe({ type: 'longtask' });
    const startTop = scroller.scrollTop;
    const intervals = [];
    const work = [];
    // A message posted from a frame callback is delivered once that frame's style, layout and paint are
    // done: from the frame's start to then is the main thread's work for the frame, which the display's
    // pacing of the intervals hides.
    const channel = new MessageChannel();
    let frameStart = 0;
    channel.port1.onmessage = () => work.push(performance.now() - frameStart);
    let last = await nextFrame();
    const end = last + durationMs;
    while (last < end && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight) {
      scroller.scrollTop += rowPitch * rowsPerFrame;
      const now = await nextFrame();
      frameStart = now;
      channel.port2.postMessage(null);
      intervals.push(now - last);
      last = now;
    }
    await nextFrame();
    channel.port1.close();
    observer.disconnect();
    const rowsScrolled = Math.round((scroller.scrollTop - startTop) / rowPitch);
    return { intervals, work, rowPitch, columns, rowsScrolled, facesScrolledPast: rowsScrolled * columns, longTasks };
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
      // The grid is virtualised: of the selected faces only those in the rendered rows exist; they must all show it.
      const tiles = [...scroller.querySelectorAll(TILE)].filter((tile) => wanted.has(Number(tile.dataset.faceId)));
      return tiles.length > 0 && tiles.every((tile) => tile.dataset.identity === name);
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

  /** Long tasks (> 50 ms) on the page's main thread from its start: what kept a view from drawing sooner. */
  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ startMs: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  /**
   * The Map view's plot drawn, from `startMs`: the view marks it drawn by giving the plot `data-points` once plotly has
   * drawn it (Plotly.react resolved; `data-draw-ms` is that call's own time), then the next frame.
   */
  function watchMap(startMs) {
    const draw = { startMs };
    const observer = new MutationObserver(() => {
      const plot = document.querySelector('[data-testid=map-plot][data-points]');
      if (!plot) return;
      observer.disconnect();
      draw.drawnMs = performance.now();
      draw.points = Number(plot.dataset.points);
      draw.plotlyMs = Number(plot.dataset.drawMs);
      requestAnimationFrame(() => (draw.paintedMs = performance.now()));
    });
    // The plot may arrive with the attribute already set (a new node) or have it added: both are watched.
    observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points'] });
    return draw;
  }

  /** Switches the running app to the map at `hash` (a route change, plotly already loaded) and watches it draw. */
  function switchToMap(hash) {
    window.facetBench.mapDraw = watchMap(performance.now());
    location.hash = hash;
  }

  const RUNS_VIEW = '[data-testid=view-runs]';
  const CURRENT_RUN = '[data-testid=current-run]';
  const runRows = () => document.querySelectorAll(`${RUNS_VIEW} [data-testid=run-row]`).length;

  /**
   * Arms the re-cluster stopwatch in the Runs view: it starts at the click on the Cluster button (capture phase, before
   * the form submits) and stops at the frame after the panel shows a new run with its metrics and the history has one
   * more row. Run ids, not metric text: well-separated synthetic people give every run the same cohesion.
   */
  function armClusterWatch() {
    const view = document.querySelector(RUNS_VIEW);
    const before = { runId: document.querySelector(CURRENT_RUN)?.dataset.runId, rows: runRows() };
    const watch = { runIdBefore: Number(before.runId), rowsBefore: before.rows };
    const shown = () => {
      const current = document.querySelector(CURRENT_RUN);
      return (
        current !== null &&
        current.dataset.runId !== undefined &&
        current.dataset.runId !== before.runId &&
        runRows() === before.rows + 1 &&
        current.querySelector('[data-testid=metric-cohesion]') !== null
      );
    };
    const observer = new MutationObserver(() => {
      if (watch.clickMs === undefined || watch.domMs !== undefined || !shown()) return;
      observer.disconnect();
      watch.domMs = performance.now();
      watch.runId = Number(document.querySelector(CURRENT_RUN).dataset.runId);
      watch.cohesion = document.querySelector(`${CURRENT_RUN} [data-testid=metric-cohesion]`).textContent.trim();
      requestAnimationFrame(() => (watch.shownMs = performance.now()));
    });
    observer.observe(view, { subtree: true, childList: true, attributes: true, characterData: true });
    const onClick = (event) => {
      if (!event.target?.closest?.('[data-testid=cluster-button]')) return;
      watch.clickMs = performance.now();
      window.removeEventListener('click', onClick, true);
    };
    window.addEventListener('click', onClick, true);
    window.facetBench.clusterWatch = watch;
  }

  /** What the benchmark waits for; checked at every frame (its own waitForFunction would need eval, which the page's CSP forbids). */
  const conditions = {
    firstGridDone: () => firstGrid.paintedMs !== undefined || firstGrid.timedOut === true,
    tileAt: (index) => tilesByIndex().some((tile) => tile.index === index),
    selectionCount: (n) => document.querySelector('[data-testid=selection-count]')?.textContent.replace(/\D/g, '') === String(n),
    imagesLoaded: () => [...document.querySelectorAll(`${GRID_SCROLLER} ${TILE}`)].every(imageLoaded),
    tagShown: () => window.facetBench.tagWatch?.shownMs !== undefined,
    mapDrawn: () => window.facetBench.mapDraw.paintedMs !== undefined,
    clusterShown: () => window.facetBench.clusterWatch?.shownMs !== undefined,
    runsReady: () =>
      document.querySelector('[data-testid=cluster-button]') !== null && document.querySelector(`${CURRENT_RUN} [data-testid=metric-cohesion]`) !== null,
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
    apiCalls,
    longTasks,
    // From navigation start on a page opened at the map; other pages watch no map (its observer sees every DOM change).
    mapDraw: location.hash.startsWith('#/map') ? watchMap(0) : {},
    switchToMap,
    armClusterWatch,
    clusterWatch: null,
    gridGeometry: () => gridGeometry(document.querySelector(GRID_SCROLLER)),
  };
  watchFirstGrid();
})();
