export async function noop(): Promise<void> {}

/** Task queue of the engine-bound worker. */
export const NOOP_TASK_QUEUE = 'arauto-bench-noop';
