/**
 * Copies of float32 rows between arena blocks (concatenation, 2-D slices and their
 * backward): one call moves every row with memory.copy, where a JavaScript loop paid
 * several nanoseconds per element.
 */

/**
 * o[r·oStride + c] = x[r·xStride + c] for r < rows, c < cols (strides and counts in
 * elements; x and o are byte offsets of the first element).
 */
export function copyRows(x: usize, o: usize, rows: i32, cols: i32, xStride: i32, oStride: i32): void {
  const bytes = <usize>cols << 2;
  const xs = <usize>xStride << 2;
  const os = <usize>oStride << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(o, x, bytes);
    x += xs;
    o += os;
  }
}
