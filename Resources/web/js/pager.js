// A list loaded a page at a time behind a "Show more" button.

/** `fetchPage(cursor)` returns {items, next_cursor}; `draw(rows)` renders all rows loaded so far.
 *  `load(true)` starts over (new filters), `load(false)` appends the next page. */
export function pager(fetchPage, draw, more) {
  let cursor = null;
  let rows = [];
  let latest = 0;
  async function load(reset) {
    // Only the newest load draws: two quick reloads must not both append their first page.
    const mine = ++latest;
    const page = await fetchPage(reset ? null : cursor);
    if (mine !== latest) return;
    if (reset) rows = [];
    rows = rows.concat(page.items);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    draw(rows);
  }
  more.addEventListener('click', () => load(false));
  return {
    load,
    /** Replaces loaded rows in place (after an action on one of them) and redraws. */
    update(change) {
      rows = rows.map(change);
      draw(rows);
    },
  };
}
