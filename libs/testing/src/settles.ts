/**
 * Whether a promise settles within `ms`: for tests of a stop or shutdown whose failure mode is
 * a wait far longer than that (the test names it), not for measuring speed.
 */
export async function settlesWithin(p: Promise<unknown>, ms = 2000): Promise<boolean> {
  let timer!: NodeJS.Timeout;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
