using System.Diagnostics;
using Npgsql;

namespace OfflineCirc.Bench;

/// <summary>
/// `reports`: a processed session of the given size (its transactions and results written straight into a fresh
/// database), then the exceptions page (first and a deep page) under concurrent requests and a results.csv download,
/// with the app's peak memory before and after the download.
/// </summary>
public static class ReportsBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rows = options.Int("rows", 1_000_000);
        var concurrency = options.Int("concurrency", 32);
        var requests = options.Int("requests", 640);
        await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString, "oc_bench_reports");
        database.Keep = options.Flag("keep");
        var account = BenchAccount.New();
        var environment = AppProcess.Environment(database, account);
        environment["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning";
        await using var app = await AppProcess.StartServerAsync(options.WebDll, environment);

        var clock = Stopwatch.StartNew();
        var (session, deepAfter) = await SeedSessionAsync(database.ConnectionString, rows);
        Console.WriteLine($"Wrote a processed session of {rows:N0} transactions in {clock.Elapsed.TotalSeconds:0.0} s");

        // The exceptions page is read by people: sign in through the login form and keep the cookie.
        using var http = await app.SignInWithFormAsync(account);
        if (http is null)
        {
            return 1;
        }

        // The session's figures as a poller reads them: one at a time, then many at once, then unchanged (304).
        var statusUrl = $"/api/sessions/{session}";
        var alone = await MeasureAsync(http, _ => Get(statusUrl), 1, requests);
        var crowd = await MeasureAsync(http, _ => Get(statusUrl), concurrency, requests);
        using (var tagged = await http.GetAsync(statusUrl))
        {
            var etag = tagged.EnsureSuccessStatusCode().Headers.ETag!.ToString();
            var unchanged = await MeasureAsync(http, _ => Get(statusUrl, etag), 1, requests);
            Console.WriteLine($"GET {statusUrl}: p50 {alone.P50:0.0} ms, p95 {alone.P95:0.0} ms one at a time (goal: under 20 ms); " +
                $"p95 {crowd.P95:0.0} ms {concurrency} at a time; unchanged (304) p50 {unchanged.P50:0.0} ms, p95 {unchanged.P95:0.0} ms");
        }

        var first = await MeasureAsync(http, _ => $"/Sessions/Exceptions?id={session}", concurrency, requests);
        var deep = await MeasureAsync(http, _ => $"/Sessions/Exceptions?id={session}&after={deepAfter}", concurrency, requests);
        // A different address every time, so no page comes from the cache: what a first reading of each page costs.
        var uncached = await MeasureAsync(http, i => $"/Sessions/Exceptions?id={session}&after={deepAfter}&request={i}", concurrency, requests);
        Console.WriteLine($"Exceptions page 1:    p50 {first.P50:0.0} ms, p95 {first.P95:0.0} ms over {requests} requests, {concurrency} at a time (goal: p95 under 100 ms)");
        Console.WriteLine($"Exceptions deep page: p50 {deep.P50:0.0} ms, p95 {deep.P95:0.0} ms (after transaction {deepAfter})");
        Console.WriteLine($"Deep page, a new address each request (never from the cache): p50 {uncached.P50:0.0} ms, p95 {uncached.P95:0.0} ms");

        var before = AppProcess.PeakMemoryMiB(app.Id);
        clock.Restart();
        using var response = await http.GetAsync($"/api/sessions/{session}/results.csv", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var after = AppProcess.PeakMemoryMiB(app.Id);
        Console.WriteLine($"results.csv: {lines - 1:N0} rows, {bytes / 1048576.0:0.0} MiB in {seconds:0.0} s (goal: under 10 s); " +
            $"app peak memory {before:0} MiB before, {after:0} MiB after");
        return alone.P95 < 20 && first.P95 < 100 && deep.P95 < 100 && seconds < 10 ? 0 : 3;
    }

    private sealed record Timing(double P50, double P95);

    private static HttpRequestMessage Get(string url, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return request;
    }

    private static Task<Timing> MeasureAsync(HttpClient http, Func<int, string> url, int concurrency, int requests) =>
        MeasureAsync(http, i => Get(url(i)), concurrency, requests);

    private static async Task<Timing> MeasureAsync(HttpClient http, Func<int, HttpRequestMessage> url, int concurrency, int requests)
    {
        // Warm up at the same concurrency first: a server is measured in its steady state, after the runtime has
        // compiled the page's code with full optimisation, not while it is still doing so.
        await RunAsync(http, i => url(-1 - i), concurrency, concurrency * 10);
        var times = await RunAsync(http, url, concurrency, requests);
        times.Sort();
        return new Timing(times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1]);
    }

    private static async Task<List<double>> RunAsync(HttpClient http, Func<int, HttpRequestMessage> url, int concurrency, int requests)
    {
        var times = new List<double>(requests);
        var remaining = requests;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int left;
            while ((left = Interlocked.Decrement(ref remaining)) >= 0)
            {
                var watch = Stopwatch.StartNew();
                using var request = url(left);
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != System.Net.HttpStatusCode.NotModified)
                {
                    response.EnsureSuccessStatusCode();
                }
                lock (times)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }));
        return times;
    }

    /// <summary>One session with a result for every transaction; about one in five is an exception.</summary>
    private static async Task<(long Session, long DeepAfter)> SeedSessionAsync(string connectionString, int rows)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($$"""
            INSERT INTO workstations (name, org_unit_id, registered_at, service_worker_installed)
            SELECT 'DESK-' || g, (SELECT min(id) FROM org_units), now(), false FROM generate_series(1, 8) g;
            WITH s AS (
                INSERT INTO sessions (org_unit_id, description, state, created_by, created_at, run_count, progress_done, progress_total, processed_at)
                SELECT min(id), 'Reports benchmark', 'processed', 'bench', now(), 1, {{rows}}, {{rows}}, now() FROM org_units RETURNING id
            )
            INSERT INTO uploaded_files (session_id, workstation, file_name, uploaded_by, uploaded_at, format, delta_seconds, size_bytes, lines_read, stored, duplicates, rejected)
            SELECT id, 'DESK-1', 'bench.jsonl', 'bench', now(), 'Native', 0, 0, {{rows}}, {{rows}}, 0, 0 FROM s;
            INSERT INTO offline_transactions (key, key_digest, session_id, file_id, line_number, type, workstation, org, recorded_at, effective_at, delta_seconds,
                patron_barcode, item_barcode, due_date, payload, edited, forced)
            SELECT md5(g::text), offline_key_digest(md5(g::text)), f.session_id, f.id, g, (ARRAY['checkout','checkin','renew','in_house_use'])[1 + g % 4], 'DESK-' || (1 + g % 8), 'CONS',
                TIMESTAMPTZ '2026-03-01T12:00:00Z' + g * interval '1 second', TIMESTAMPTZ '2026-03-01T12:00:00Z' + g * interval '1 second', 0,
                '2' || lpad((g % 200000)::text, 13, '0'), '3' || lpad(g::text, 13, '0'), NULL, '{}', false, false
            FROM (SELECT id, session_id FROM uploaded_files ORDER BY id DESC LIMIT 1) f, generate_series(1, {{rows}}) g;
            INSERT INTO transaction_results (transaction_id, session_id, run, is_current, status, codes, message, billed_amount, due_time, follow_ups,
                processed_at, processed_by, resolved)
            SELECT t.id, t.session_id, 1, true,
                CASE WHEN t.id % 5 <> 0 THEN 'applied' WHEN t.id % 3 = 0 THEN 'failed' WHEN t.id % 3 = 1 THEN 'warning' ELSE 'skipped' END,
                CASE WHEN t.id % 5 <> 0 THEN '{}'::text[] WHEN t.id % 3 = 0 THEN ARRAY['ASSET_COPY_NOT_FOUND'] WHEN t.id % 3 = 1 THEN ARRAY['PATRON_BARRED','COPY_ALERT_MESSAGE'] ELSE ARRAY['SKIP_ASSET_CHANGED'] END,
                'Benchmark result', CASE WHEN t.id % 7 = 0 THEN 1.25 END, t.recorded_at + interval '14 days',
                CASE WHEN t.id % 11 = 0 THEN ARRAY['HOLD_SHELF'] ELSE '{}'::text[] END, now(), 'bench', false
            FROM offline_transactions t;
            INSERT INTO session_counts (session_id, name, count)
            SELECT session_id, 'transactions', count(*) FROM offline_transactions GROUP BY session_id
            UNION ALL SELECT session_id, 'files', count(*) FROM uploaded_files GROUP BY session_id
            UNION ALL SELECT session_id, status, count(*) FROM transaction_results WHERE is_current GROUP BY session_id, status;
            ANALYZE offline_transactions; ANALYZE transaction_results;
            """, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
        await using var ids = new NpgsqlCommand("SELECT max(session_id), (SELECT id FROM offline_transactions ORDER BY id OFFSET (SELECT count(*) * 9 / 10 FROM offline_transactions) LIMIT 1) FROM offline_transactions", conn);
        await using var reader = await ids.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
