/**
 * The order that sorts `keys` ascending, stably: two passes of a 16-bit LSD radix sort (linear time,
 * no comparisons). `order[k]` is the index of the k-th smallest key; equal keys keep their order.
 */
export function radixOrder32(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const k = ((keys[i] as number) >>> shift) & 0xffff;
      counts[k + 1] = (counts[k + 1] as number) + 1;
    }
    for (let k = 1; k < 65537; k++) counts[k] = (counts[k] as number) + (counts[k - 1] as number);
    for (let i = 0; i < n; i++) {
      const src = order[i] as number;
      const k = ((keys[src] as number) >>> shift) & 0xffff;
      next[counts[k] as number] = src;
      counts[k] = (counts[k] as number) + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}
