// DEV ONLY (vite --mode mock): a stand-in for @tauri-apps/api/event fed by tauri-core.ts.
type Handler = (event: { event: string; id: number; payload: unknown }) => void;
const handlers = new Map<string, Set<Handler>>();

export type UnlistenFn = () => void;

export async function listen<T>(name: string, handler: (event: { payload: T }) => void): Promise<UnlistenFn> {
  const set = handlers.get(name) ?? new Set<Handler>();
  handlers.set(name, set);
  const h = handler as Handler;
  set.add(h);
  return () => set.delete(h);
}

export function emit(name: string, payload: unknown) {
  for (const h of handlers.get(name) ?? []) h({ event: name, id: 0, payload });
}
