// English: what went wrong, said for a person, each with the next step to take.
export default {
  errors: {
    network: 'The Facet engine does not answer. Check that facet serve is still running, then try again.',
    unauthorized: 'This page has no valid session. Open the address that facet serve printed (it ends in ?token=…).',
    noLibrary: 'No library is open. Open a photo folder in the Library first.',
    rejected: 'Facet could not carry out this request. Reload the page and try again.',
    server: 'The Facet engine failed without saying why (HTTP {status}). Try again; if it keeps failing, restart Facet.',
    unknown: 'Something went wrong. Try again.',
    noReason: 'The engine gave no reason.',
  },
};
