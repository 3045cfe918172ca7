using System.Text.Json;
using Microsoft.Playwright;

namespace OfflineCirc.Bench;

/// <summary>
/// What the browser benchmark measures inside the capture page: every time is the page's own performance.now(), so the
/// figures leave out the round trips between the benchmark and Chromium. An init script, added before the page's own
/// scripts run, records long main-thread tasks, when the page's start-up resolved and when a scanned Enter was handled.
/// </summary>
public sealed class CapturePageProbe(IPage page)
{
    /// <summary>Runs in every document before its scripts.</summary>
    public const string InitScript = """
        (() => {
          const bench = window.__bench = { longTasks: [], readyAt: null, key: null };
          try {
            new PerformanceObserver(list => {
              for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
            }).observe({ type: 'longtask', buffered: true });
          } catch { /* no long task timing in this browser */ }
          // main.js publishes window.offlineCirc = { ready, ... }: note when its start-up resolves.
          let published;
          Object.defineProperty(window, 'offlineCirc', {
            configurable: true,
            get: () => published,
            set: value => {
              published = value;
              Promise.resolve(value?.ready).then(() => { bench.readyAt = performance.now(); }, () => { bench.failedAt = performance.now(); });
            },
          });
          // When the settings line about the block list and the Pending badge last changed, and to what.
          bench.seen = {};
          addEventListener('DOMContentLoaded', () => {
            for (const id of ['blocklist-refreshed', 'pending-badge']) {
              const node = document.getElementById(id);
              if (!node) continue;
              const note = () => { bench.seen[id] = { text: node.textContent, at: performance.now() }; };
              note();
              new MutationObserver(note).observe(node, { childList: true, characterData: true, subtree: true });
            }
          });
          // A scanner's Enter: when the event was made (capture phase, first) and when the page's own handler on document
          // was done with it (bubble phase on window, after document's).
          addEventListener('keydown', e => { if (e.key === 'Enter') bench.key = { at: e.timeStamp, started: performance.now(), handled: null }; }, true);
          addEventListener('keydown', e => { if (e.key === 'Enter' && bench.key) bench.key.handled = performance.now(); });
        })();
        """;

    public IPage Page { get; } = page;

    /// <summary>Milliseconds from the document's navigation until the page's start-up resolved.</summary>
    public async Task<double> ReadyAtAsync()
    {
        var at = await (await Page.WaitForFunctionAsync("() => window.__bench.readyAt ?? (window.__bench.failedAt ? -1 : null)")).JsonValueAsync<double>();
        return at >= 0 ? at : throw new InvalidOperationException("The capture page could not start: " + await Page.GetByTestId("alert").InnerTextAsync());
    }

    /// <summary>Milliseconds from the navigation until the settings line says a list of <paramref name="count"/> cards is stored.</summary>
    public Task<double> BlockListShownAtAsync(int count) => ShownAtAsync("blocklist-refreshed", $", {count} blocked card(s)", whole: false);

    /// <summary>Milliseconds from the navigation until the Pending badge shows <paramref name="count"/>.</summary>
    public Task<double> PendingShownAtAsync(int count) => ShownAtAsync("pending-badge", $"{count}", whole: true);

    /// <summary>When the element last changed, once its text is (or, not <paramref name="whole"/>, holds) the text.</summary>
    private async Task<double> ShownAtAsync(string id, string text, bool whole) =>
        await (await Page.WaitForFunctionAsync(
            "([id, text, whole]) => { const seen = window.__bench.seen[id]; return !!seen && (whole ? seen.text === text : seen.text.includes(text)) && seen.at; }",
            new object[] { id, text, whole }, new() { PollingInterval = 20 })).JsonValueAsync<double>();

    public Task<double> NowAsync() => Page.EvaluateAsync<double>("() => performance.now()");

    /// <summary>The longest main-thread task that overlapped [from, to] (page milliseconds), 0 when none took over 50 ms.</summary>
    public async Task<double> LongestTaskAsync(double from, double to)
    {
        // Long task entries are delivered after the task; give the observer a moment.
        await Page.WaitForTimeoutAsync(300);
        return await Page.EvaluateAsync<double>("""
            ([from, to]) => Math.max(0, ...window.__bench.longTasks.filter(t => t.start + t.duration >= from && t.start <= to).map(t => t.duration))
            """, new[] { from, to });
    }

    /// <summary>
    /// Presses the page's "Refresh now" (as staff do, through its click handler) and answers the milliseconds until the page
    /// says the library data and block list are stored, with the page time of the press.
    /// </summary>
    public async Task<(double Ms, double At)> RefreshAsync()
    {
        var answer = await Page.EvaluateAsync<JsonElement>("""
            () => new Promise((resolve, reject) => {
              const status = document.querySelector('#status');
              const alert = document.querySelector('#alert');
              const at = performance.now();
              const watch = new MutationObserver(() => {
                if (status.textContent === 'Library data and block list refreshed.') {
                  watch.disconnect();
                  resolve({ ms: performance.now() - at, at });
                } else if (alert.textContent.includes('Refresh failed')) {
                  watch.disconnect();
                  reject(new Error(alert.textContent));
                }
              });
              watch.observe(status, { childList: true, characterData: true, subtree: true });
              watch.observe(alert, { childList: true, characterData: true, subtree: true });
              document.querySelector('#settings-refresh').click();
            })
            """);
        return (answer.GetProperty("ms").GetDouble(), answer.GetProperty("at").GetDouble());
    }

    /// <summary>
    /// The page's own lookup (block of js/context.js, a search of the stored list) and its whole warning check on a patron
    /// barcode (patronWarnings of js/warnings.js: the lookup, the warning's words and the barcode rule), each timed one
    /// call at a time; answers the milliseconds of both and whether the check warned about the block list.
    /// </summary>
    public async Task<List<(double LookupMs, double CheckMs, bool Blocked)>> WarningChecksAsync(IReadOnlyList<string> barcodes)
    {
        var answer = await Page.EvaluateAsync<JsonElement>("""
            async barcodes => {
              const { block } = await import('/offline/js/context.js');
              const { patronWarnings } = await import('/offline/js/warnings.js');
              return barcodes.map(b => {
                let at = performance.now();
                block(b);
                const lookup = performance.now() - at;
                at = performance.now();
                const warnings = patronWarnings(b);
                const check = performance.now() - at;
                return { lookup, check, blocked: warnings.some(w => w.code === 'patron_blocked') };
              });
            }
            """, barcodes);
        return [.. answer.EnumerateArray().Select(e => (e.GetProperty("lookup").GetDouble(), e.GetProperty("check").GetDouble(), e.GetProperty("blocked").GetBoolean()))];
    }

    /// <summary>
    /// Scans a patron barcode into the check-out form (typed, then Enter, through Chromium's input) and answers the
    /// milliseconds from the Enter key event until the page's handler had put its warning, if any, on the page, and of
    /// those the time the page's handlers took (the rest is the event waiting for the main thread).
    /// </summary>
    public async Task<(double Ms, double HandlerMs, bool Blocked)> ScanPatronAsync(string barcode)
    {
        var field = Page.GetByTestId("checkout-patron");
        await field.FillAsync(barcode);
        await field.PressAsync("Enter");
        var answer = await Page.EvaluateAsync<JsonElement>("""
            () => ({
              ms: window.__bench.key.handled - window.__bench.key.at,
              handler: window.__bench.key.handled - window.__bench.key.started,
              blocked: document.querySelector('#checkout-patron-note').textContent.includes('is on the block list'),
            })
            """);
        return (answer.GetProperty("ms").GetDouble(), answer.GetProperty("handler").GetDouble(), answer.GetProperty("blocked").GetBoolean());
    }

    /// <summary>
    /// Stores captures the way the page does (records made by its newTransaction, in its IndexedDB store `pending`), in
    /// one transaction: check-outs of the given patrons and items, and every third a check-in, a capture every 2 seconds
    /// up to now.
    /// </summary>
    public Task StorePendingAsync(IReadOnlyList<string> patrons, IReadOnlyList<string> items) =>
        Page.EvaluateAsync("""
            async ([patrons, items]) => {
              const db = await import('/offline/js/db.js');
              const context = await import('/offline/js/context.js');
              const { newTransaction } = await import('/offline/js/format.js');
              const conn = await db.open();
              const first = Date.now() - items.length * 2000;
              await new Promise((resolve, reject) => {
                const tx = conn.transaction('pending', 'readwrite');
                const store = tx.objectStore('pending');
                items.forEach((barcode, i) => {
                  const when = new Date(first + i * 2000);
                  store.put(i % 3 === 2
                    ? newTransaction('checkin', context.place(), { barcode }, when, context.isoTime)
                    : newTransaction('checkout', context.place(), { patron_barcode: patrons[i % patrons.length], barcode }, when, context.isoTime));
                });
                tx.oncomplete = resolve;
                tx.onerror = () => reject(tx.error);
              });
            }
            """, new object[] { patrons, items });

    /// <summary>
    /// Records one check-out through the form as staff do (patron scanned, item scanned, Enter) and answers, from the item's
    /// Enter key event, the milliseconds until the page confirmed it stored and until its Pending badge counted it.
    /// </summary>
    public async Task<(double Recorded, double Listed, double At)> CheckoutAsync(string patron, string item, int pendingAfter)
    {
        await Page.EvaluateAsync("""
            n => {
              const status = document.querySelector('#status');
              const badge = document.querySelector('#pending-badge');
              const alert = document.querySelector('#alert');
              const bench = window.__bench;
              bench.capture = new Promise((resolve, reject) => {
                let recorded = null;
                const watch = new MutationObserver(() => {
                  const now = performance.now();
                  if (recorded === null && status.textContent.startsWith('Recorded')) recorded = now;
                  if (alert.textContent) { watch.disconnect(); reject(new Error(alert.textContent)); }
                  if (recorded !== null && badge.textContent === String(n)) {
                    watch.disconnect();
                    resolve({ recorded: recorded - bench.key.at, listed: now - bench.key.at, at: bench.key.at });
                  }
                });
                for (const node of [status, badge, alert]) watch.observe(node, { childList: true, characterData: true, subtree: true });
              });
            }
            """, pendingAfter);
        await Page.GetByTestId("checkout-patron").FillAsync(patron);
        await Page.GetByTestId("checkout-patron").PressAsync("Enter");
        await Page.GetByTestId("checkout-item").FillAsync(item);
        await Page.GetByTestId("checkout-item").PressAsync("Enter");
        var answer = await Page.EvaluateAsync<JsonElement>("() => window.__bench.capture");
        return (answer.GetProperty("recorded").GetDouble(), answer.GetProperty("listed").GetDouble(), answer.GetProperty("at").GetDouble());
    }

    /// <summary>The page's JavaScript heap in MiB (Chromium's performance.memory), null elsewhere.</summary>
    public async Task<double?> HeapMiBAsync() =>
        await Page.EvaluateAsync<double?>("() => performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null");
}
