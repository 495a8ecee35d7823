/** What TRPO needs from a state-value baseline: predictions, a fit, and checkpoint state. */
export interface Baseline {
  readonly kind: string;
  /** V for `rows` observations [rows × obsDim] with episode step indices t. */
  predict(obs: Float64Array, t: ArrayLike<number>, rows: number): Promise<Float64Array>;
  /** Regresses V onto `targets`. */
  fit(obs: Float64Array, t: ArrayLike<number>, targets: Float64Array, rows: number): Promise<void>;
  /** Named float64 arrays for a checkpoint (safetensors) … */
  stateDict(): Promise<Record<string, { shape: number[]; data: Float64Array }>>;
  /** … and back. */
  loadStateDict(state: Record<string, { shape: number[]; data: Float64Array | Float32Array }>): void;
}
