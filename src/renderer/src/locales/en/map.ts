// English: the Map view (a 2-D scatter of a run's faces), its colouring, legend, hover card and selection panel.
export default {
  map: {
    title: 'Map',
    summary: 'Every face of a run as a point; nearby faces look alike to the features. Hover a point to see the face, draw around points to tag them.',
    method: {
      label: 'Map',
      pca: 'PCA',
      tsne: 't-SNE',
      umap: 'UMAP',
      hint: {
        pca: 'The two directions along which the faces vary most: distances are faithful, groups may overlap.',
        tsne: 'Keeps neighbours together: groups separate well, but distances between groups mean little.',
        umap: 'Keeps neighbours together and more of the overall shape than t-SNE.',
      },
    },
    colour: {
      label: 'Colour by',
      cluster: 'Cluster',
      person: 'Person',
      quality: 'Quality gate',
      yaw: 'Head turn (yaw)',
    },
    tools: {
      label: 'Tool',
      lasso: 'Lasso',
      box: 'Box',
      pan: 'Move',
      reset: 'Fit all',
      hint: 'Draw around points or click one to select; scroll to zoom; Escape clears the selection, a double click also fits the map.',
    },
    axis: {
      pc: 'Component {n}',
    },
    points: '{n} faces drawn',
    sampled:
      "Too many faces for {method} to lay out all: it laid out {sample}, a sample that takes each cluster's share, and every other face sits among its nearest sampled faces.",
    progress: {
      title: 'Computing the {method} map…',
      hint: 'Maps are kept once computed: next time this one opens at once.',
      cancelled: 'The map was cancelled.',
      again: 'Compute the map',
    },
    legend: {
      title: 'Legend',
      cluster: 'Cluster {n}',
      untagged: 'Untagged',
      passed: 'Passes every gate',
      unknownYaw: 'Yaw unknown',
      left: 'Turned one way',
      frontal: 'Facing the camera',
      right: 'Turned the other way',
      degrees: '{n}°',
    },
    hover: {
      cluster: 'Cluster {n}',
    },
    selection: {
      title: 'no faces selected | 1 face selected | {n} faces selected',
      checked: '{n} of {total} to tag',
      hint: 'Click a face to leave it out.',
      tag: 'Tag as…',
      clear: 'Clear the selection',
      page: '{from}–{to} of {total}',
      previous: 'Previous faces',
      next: 'Next faces',
      tagged: 'Tagged 1 face as {name} | Tagged {n} faces as {name}',
    },
    error: {
      map: 'The map could not be computed.',
      tag: 'The faces were not tagged.',
      cancel: 'The map could not be cancelled.',
    },
  },
  chart: {
    failed: 'The chart could not be drawn.',
  },
};
