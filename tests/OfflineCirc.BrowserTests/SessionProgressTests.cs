using Microsoft.Playwright;
using Npgsql;
using OfflineCirc.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

[Collection(CapturePageCollection.Name)]
public class SessionProgressTests(CaptureFixture fixture)
{
    private const int Transactions = 50_000;

    /// <summary>Items met only at these lines: another transaction holds them, so the run waits at each in turn.</summary>
    private static readonly (string Barcode, int Line)[] Holds = [("PROGHOLD1", 15_001), ("PROGHOLD2", 30_001)];

    [Fact]
    public async Task Session_page_shows_progress_moving_without_a_reload_and_then_the_chart()
    {
        var session = await SeedSessionAsync(Transactions);
        // However fast the machine, the run waits twice behind a lock on an item (as it would behind a desk still
        // working on that item), so the page always has two figures of the unfinished run to show.
        await using var first = await ItemHold.TakeAsync(fixture.DataSource, Holds[0].Barcode);
        await using var second = await ItemHold.TakeAsync(fixture.DataSource, Holds[1].Barcode);
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var polls = new List<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith($"/api/sessions/{session}", StringComparison.Ordinal))
            {
                lock (polls)
                {
                    polls.Add(request);
                }
            }
        };
        await page.GotoAsync($"/Sessions/Details?id={session}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Process", Exact = true }).ClickAsync();
        await Expect(page.Locator("#session-progress [data-field=state]")).ToHaveTextAsync("Processing");

        // A mark on the window survives only as long as the page is not reloaded.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var done = page.Locator("#session-progress [data-field=done]");
        var before = await ShownProgressAboveAsync(page, done, 0);
        await first.ReleaseAsync();
        var after = await ShownProgressAboveAsync(page, done, before);
        await second.ReleaseAsync();
        Assert.InRange(before, 1, Holds[0].Line - 1);
        Assert.InRange(after, before + 1, Holds[1].Line - 1);
        // After its first answer the page asks only for what changed: it sends back the tag it was given.
        IRequest[] sent;
        lock (polls)
        {
            sent = [.. polls];
        }
        Assert.True(sent.Length >= 2, $"{sent.Length} polls");
        Assert.Null(await sent[0].HeaderValueAsync("if-none-match"));
        Assert.StartsWith("\"", await sent[^1].HeaderValueAsync("if-none-match"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "session-processing.png"), FullPage = true });

        // When the run ends the page shows the results, with the chart of codes.
        await Expect(page.Locator("#session-progress [data-field=state]")).ToHaveTextAsync("Processed", new() { Timeout = 180_000 });
        var chart = page.Locator("svg[role=img]").First;
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart).ToContainTextAsync("ASSET_COPY_NOT_FOUND");
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "session-processed.png"), FullPage = true });
        await chart.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "session-chart.png") });
    }

    /// <summary>The first count of processed lines the page shows above <paramref name="floor"/>, on the same document.</summary>
    private static async Task<int> ShownProgressAboveAsync(IPage page, ILocator done, int floor)
    {
        var shown = await Poll.UntilAsync(async () =>
            await done.TextContentAsync() is { } text && int.TryParse(text, out var value) && value > floor ? text : null, seconds: 120);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        return int.Parse(shown, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A session of in-house uses, one in ten on an unknown barcode so the chart has more than one code, and each held
    /// item at its own line only.
    /// </summary>
    private async Task<long> SeedSessionAsync(int transactions)
    {
        var barcodes = $"ARRAY[{string.Join(", ", Holds.Select(h => $"'{h.Barcode}'"))}]";
        var lines = $"ARRAY[{string.Join(", ", Holds.Select(h => h.Line))}]";
        await using var conn = await fixture.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($$"""
            INSERT INTO records (id, title, author) VALUES (900001, 'Progress test', 'Tester') ON CONFLICT DO NOTHING;
            INSERT INTO items (barcode, record_id, owning_org_id, location, circ_modifier, status, holdable, status_changed_at)
            SELECT b, 900001, (SELECT id FROM org_units WHERE short_name = 'BR1'), 'Stacks', 'book', 'available', true, now() - interval '30 days'
            FROM (SELECT 'PROG' || g FROM generate_series(1, 50) g UNION ALL SELECT unnest({{barcodes}})) AS items_to_make(b)
            ON CONFLICT DO NOTHING;
            WITH s AS (
                INSERT INTO sessions (org_unit_id, description, state, created_by, created_at, run_count, progress_done, progress_total)
                SELECT id, 'Progress to watch', 'open', 'seed', now(), 0, 0, 0 FROM org_units WHERE short_name = 'BR1' RETURNING id
            ), f AS (
                INSERT INTO uploaded_files (session_id, workstation, file_name, uploaded_by, uploaded_at, format, delta_seconds, size_bytes, lines_read, stored, duplicates, rejected)
                SELECT id, 'BR1-CIRC-01', 'seed.jsonl', 'seed', now(), 'Native', 0, 0, {{transactions}}, {{transactions}}, 0, 0 FROM s RETURNING id, session_id
            )
            INSERT INTO offline_transactions (key, key_digest, session_id, file_id, line_number, type, workstation, org, recorded_at, effective_at,
                delta_seconds, item_barcode, count, payload, edited, forced)
            SELECT k.key, offline_key_digest(k.key), f.session_id, f.id, g, 'in_house_use', 'BR1-CIRC-01', 'BR1',
                now() - interval '1 day' + g * interval '1 second', now() - interval '1 day' + g * interval '1 second', 0,
                CASE WHEN h.barcode IS NOT NULL THEN h.barcode WHEN g % 10 = 0 THEN 'UNKNOWN' || g ELSE 'PROG' || (1 + g % 50) END,
                1, '{}', false, false
            FROM f, generate_series(1, {{transactions}}) g
            LEFT JOIN unnest({{barcodes}}, {{lines}}) h(barcode, line) ON h.line = g,
            LATERAL (SELECT 'progress-' || f.session_id || '-' || g AS key) k
            RETURNING session_id
            """, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A lock on one item, taken in a transaction of its own, as a desk working on that item would hold it.</summary>
    private sealed class ItemHold(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public static async Task<ItemHold> TakeAsync(NpgsqlDataSource dataSource, string barcode)
        {
            var connection = await dataSource.OpenConnectionAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand("SELECT FROM items WHERE barcode = $1 FOR UPDATE", connection, transaction)
            {
                Parameters = { new() { Value = barcode } },
            };
            await cmd.ExecuteNonQueryAsync();
            return new ItemHold(connection, transaction);
        }

        public Task ReleaseAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
