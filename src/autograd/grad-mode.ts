/** Whether ops record the graph, and the noGrad / enableGrad scopes. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs fn with gradient recording set to `on`, restoring the previous mode afterwards. */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = on;
  try {
    const r = fn();
    if (r instanceof Promise) {
      throw new Error(
        'noGrad/enableGrad: the function must be synchronous (the mode is not kept across await)',
      );
    }
    return r;
  } finally {
    enabled = prev;
  }
}

/** Runs fn without recording the graph: results do not require gradients. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs fn with recording on (inside a noGrad scope, for example). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
