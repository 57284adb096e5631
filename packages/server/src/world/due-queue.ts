/** The world's queue of due scheduled runs: which configuration runs next, and when. */

/** Orders due entries by time, then by configuration id, so ties pop in the same order every time. */
const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);

/** A min-heap of (time, config id) for due scheduled runs. Stale entries are skipped on pop. */
export class DueQueue {
  private heap: Array<[number, number]> = [];
  push(at: number, id: number) {
    const h = this.heap;
    h.push([at, id]);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  peek(): [number, number] | undefined {
    return this.heap[0];
  }
  pop(): [number, number] | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
  clear() {
    this.heap = [];
  }
}
