// A tiny typed event emitter, so the non-vscode modules (supervisor, clients) can publish changes
// without importing `vscode` (mocha tests run them in plain Node).

export interface Subscription {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();

  /** Subscribes; the returned subscription removes the listener. */
  readonly event = (listener: Listener<T>): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A faulty listener must not break the others or the publisher.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
