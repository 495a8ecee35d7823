/** What TRPO needs from a state-value baseline: predictions, a fit, and checkpointing. */
export interface Baseline {
  readonly kind: BaselineKind;
  /** V for `rows` observations [rows × obsDim] with episode step indices t. */
  predict(obs: Float64Array, t: ArrayLike<number>, rows: number): Promise<Float64Array>;
  /** Regresses V onto `targets`. */
  fit(obs: Float64Array, t: ArrayLike<number>, targets: Float64Array, rows: number): Promise<void>;
  /** Writes its state as `<prefix>.safetensors` (atomically). */
  save(prefix: string): Promise<void>;
  /** Reads what save wrote. */
  load(prefix: string): Promise<void>;
}

export type BaselineKind = 'linear' | 'mlp' | 'gaussian-mlp';
export const BASELINE_KINDS: readonly BaselineKind[] = ['linear', 'mlp', 'gaussian-mlp'];
