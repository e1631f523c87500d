// What a suite needs from the machine (datasets, chromium, a build): skipped with a message where absent, but never under CI.
/**
 * CI (CI=true) installs everything the tests need, so a skip there would hide a broken set-up behind a green run:
 * it fails instead. Elsewhere the suite is skipped with a warning that names what is missing.
 * Returns whether to skip.
 */
export function skipWithout(suite: string, missing: readonly (string | false | null | undefined)[]): boolean {
  const absent = missing.filter((m): m is string => typeof m === 'string' && m.length > 0);
  if (absent.length === 0) return false;
  const message = `${suite}: missing ${absent.join('; ')}`;
  if (process.env.CI === 'true') throw new Error(`[facet tests] ${message}. Under CI nothing may be skipped: install it (.ci/run does).`);
  console.warn(`[facet tests] skipping ${message}`);
  return true;
}
