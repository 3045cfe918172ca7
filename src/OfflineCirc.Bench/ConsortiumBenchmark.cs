using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Core.Demo;

namespace OfflineCirc.Bench;

/// <summary>
/// `consortium`: the whole path of a big outage in one run over a fresh database. A 200,000-patron, 1,000,000-item
/// consortium from the app's `generate` verb is imported through the API; a million lines of desk activity, mostly at
/// each item's own library, are uploaded one file per branch; the real job replays them while the session's status is
/// polled as the portal does; then results.csv, the exceptions page under 32 readers, and the PostgreSQL write floor
/// of the same rows. Every figure is printed, then a table of figures and goals (docs/adr-015).
/// </summary>
public static partial class ConsortiumBenchmark
{
    // The generator's lines are 0 to 3 seconds apart: 1.5 seconds on average.
    private const double SecondsPerLine = 1.5;

    // What the exceptions page shows per page by default (ExceptionsModel.DefaultPageSize).
    private const int ExceptionsPageSize = 50;

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Text("exceptions-only", "") is { Length: > 0 } kept)
        {
            return await ExceptionsOnlyAsync(options, kept);
        }
        var patrons = options.Int("patrons", 200_000);
        var items = options.Int("items", 1_000_000);
        var transactions = options.Int("transactions", 1_000_000);
        var seed = options.Int("seed", 20261201);
        var atItemBranch = options.Double("at-item-branch", 0.9);
        var outageStart = OutageStart(options.Text("outage-start", ""), transactions);
        // The world is as it stood the day before the outage, so every imported loan and status change comes before it.
        var asOf = outageStart.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summary = new Summary();
        Console.WriteLine($"Consortium benchmark: {patrons:N0} patrons, {items:N0} items, {transactions:N0} transactions, seed {seed}, " +
            $"{atItemBranch:P0} of item lines at the item's own library; world as of {asOf}, outage from {outageStart:yyyy-MM-dd HH:mm} UTC; " +
            $"{Environment.ProcessorCount} cores");
        var dir = Directory.CreateTempSubdirectory("oc-bench-consortium-").FullName;
        try
        {
            // 1. The world, through the import API.
            summary.Begin("1. Import");
            var files = await ImportBenchmark.GenerateAsync(options.WebDll, dir, patrons, items, seed, asOf);
            if (files is null)
            {
                return 1;
            }
            await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString, "oc_bench_consortium");
            database.Keep = options.Flag("keep");
            var account = BenchAccount.New();
            var environment = AppProcess.Environment(database, account);
            // One log line per request would be most of the log during the page measurements.
            environment["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning";

            long session;
            await using (var app = await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment)))
            {
                using var http = await app.SignInAsync(account);
                if (await ImportBenchmark.ImportFilesAsync(http, files) is not { } importSeconds)
                {
                    return 1;
                }
                Console.WriteLine($"Imported every kind in {importSeconds:0.0} s; app peak memory (VmHWM) {AppProcess.PeakMemoryMiB(app.Id):0} MiB");
                summary.Add($"import {patrons:N0} patrons and {items:N0} items (13 kinds, HTTP API)", $"{importSeconds:0.0} s", "under 60 s", importSeconds < 60);
                await summary.EndAsync();

                // 2. The outage, one file per branch, through the upload endpoint.
                summary.Begin("2. Upload");
                var outage = await WriteOutageAsync(database.ConnectionString, dir, transactions, seed, atItemBranch, outageStart);
                session = await CreateSessionAsync(http);
                var uploadSeconds = 0.0;
                await using var uploadUpkeep = new Upkeep(database.ConnectionString);
                foreach (var (desk, file, lines) in outage)
                {
                    var (seconds, answer) = await UploadAsync(http, session, desk, file);
                    uploadSeconds += seconds;
                    Console.WriteLine($"  {Path.GetFileName(file),-18} {lines,10:N0} lines {seconds,6:0.0} s  ({answer.GetProperty("stored").GetInt32():N0} stored, " +
                        $"{answer.GetProperty("duplicates").GetInt32():N0} duplicates, {answer.GetProperty("rejected").GetInt32():N0} rejected)");
                }
                Console.WriteLine($"Uploaded {transactions:N0} lines in {outage.Count} files in {uploadSeconds:0.0} s ({transactions / uploadSeconds:N0} lines/s); " +
                    $"app peak memory (VmHWM) {AppProcess.PeakMemoryMiB(app.Id):0} MiB");
                Console.WriteLine($"  autovacuum during the upload: {await uploadUpkeep.StopAsync() ?? "none"}");
                summary.Add($"upload {transactions:N0} native lines, one file per branch", $"{uploadSeconds:0.0} s", "under 15 s", uploadSeconds < 15);
                await summary.EndAsync();
            }
            Console.WriteLine($"The uploaded lines once the app that took them had stopped: {await Upkeep.LinesAsync(database.ConnectionString)}");

            var floor = new WriteFloor(database.ConnectionString);
            Console.WriteLine($"\n(Kept the tables the replay changes as they are now, for the write floor: {await floor.KeepStateBeforeReplayAsync():0.0} s, not measured.)");

            if (options.Flag("vacuum-first"))
            {
                // For comparison only: what the replay takes when autovacuum has nothing left from the import and upload.
                var vacuumed = Stopwatch.StartNew();
                await using (var conn = new NpgsqlConnection(database.ConnectionString))
                {
                    await conn.OpenAsync();
                    await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", conn) { CommandTimeout = 0 };
                    await vacuum.ExecuteNonQueryAsync();
                }
                Console.WriteLine($"(Vacuumed and analyzed the whole database first, as autovacuum would have by the time someone presses Process: {vacuumed.Elapsed.TotalSeconds:0.0} s, not measured.)");
            }
            if (options.Flag("settle"))
            {
                Console.WriteLine($"(Waited {await Upkeep.SettleAsync(database.ConnectionString, TimeSpan.FromMinutes(3)):0.0} s for autovacuum to finish with the import and the upload.)");
            }

            // 3 to 5 as a consortium deploys them (docs/adr-015, docs/adr-008): a worker node that replays, started after the upload so its
            // peak memory is the replay's, and a web node that serves the portal and the API.
            var workerEnvironment = new Dictionary<string, string>(environment) { ["Node__Role"] = "worker", ["Jobs__PollSeconds"] = "0.5" };
            var webEnvironment = new Dictionary<string, string>(environment) { ["Node__Role"] = "web" };
            double runSeconds, replayBusy;
            var replayRows = await TableRows.StartAsync(database.ConnectionString, "public");
            await using (var worker = await AppProcess.StartServerAsync(options.WebDll, workerEnvironment))
            await using (var web = await AppProcess.StartServerAsync(options.WebDll, webEnvironment))
            {
                using var http = await web.SignInAsync(account);
                using var workerHttp = await worker.SignInAsync(account);
                summary.Begin("3. Replay");
                await using (var upkeep = new Upkeep(database.ConnectionString))
                {
                    var writes = await ServerWrites.StartAsync(database.ConnectionString);
                    (runSeconds, replayBusy) = await ReplayAsync(worker, web, http, workerHttp, session, transactions, database.ConnectionString, summary);
                    Console.WriteLine($"  autovacuum during the replay: {await upkeep.StopAsync() ?? "none"}");
                    Console.WriteLine($"  the server during the replay: {await writes.StopAsync()}");
                }
                await summary.EndAsync();

                summary.Begin("4. results.csv");
                await ResultsCsvAsync(web, http, session, summary);
                await summary.EndAsync();

                summary.Begin("5. Exceptions page");
                if (!await ExceptionsPageAsync(web, account, database.ConnectionString, session, options.Int("concurrency", 32), options.Int("pages", 20), summary))
                {
                    return 1;
                }
                await summary.EndAsync();
            }

            // The app's connections are closed, so their backends have reported what they wrote.
            var replayWrote = await replayRows.StopAsync();

            // 6. With the app stopped, so nothing else uses the server.
            Console.WriteLine("\n6. PostgreSQL write floor");
            Console.WriteLine($"  (fresh copies and staging built in {await floor.PrepareAsync():0.0} s, not measured)");
            summary.Begin(null);
            var floorCpu = CpuUse.Start();
            var floorWrites = await ServerWrites.StartAsync(database.ConnectionString);
            var floorRows = await TableRows.StartAsync(database.ConnectionString, WriteFloor.Schema);
            var result = await floor.WriteAsync();
            var (_, floorUsed) = floorCpu.Stop(result.Seconds);
            var floorWrote = await floorWrites.StopAsync();
            var floorRowsWritten = await floorRows.StopAsync();
            foreach (var step in result.Steps)
            {
                Console.WriteLine($"  {step.Verb} {step.Table,-22} {step.Rows,10:N0} rows {step.Seconds,7:0.00} s");
            }
            // The run's own time, as the floor has no job to wait for.
            var ratio = runSeconds / result.Seconds;
            Console.WriteLine($"Write floor {result.Seconds:0.0} s for {result.Steps.Sum(s => s.Rows):N0} rows; replay run {runSeconds:0.0} s / floor = {ratio:0.00}");
            Console.WriteLine($"  the server during the floor: {floorWrote}");
            // The replay writes its items, holds and in-house uses on its own connection and the rest beside them on a
            // second (docs/adr-026); its results stream while its rules run. The floor's own statements, split the same
            // way, take at least this (their times added up, not measured on two connections).
            var itemSide = result.Steps.Where(s => s.Table is "items" or "holds" or "in_house_uses").Sum(s => s.Seconds);
            var resultsSide = result.Steps.Where(s => s.Table == "transaction_results").Sum(s => s.Seconds);
            var split = resultsSide + Math.Max(itemSide, result.Seconds - itemSide - resultsSide);
            Console.WriteLine($"  the floor's statements split as the replay splits its writes: results {resultsSide:0.0} s, then " +
                $"{itemSide:0.0} s beside {result.Seconds - itemSide - resultsSide:0.0} s: at least {split:0.0} s; replay run / that = {runSeconds / split:0.00}");
            if (floorUsed is not null)
            {
                // What no overlap of the replay's steps can beat on this machine: its work over every core at once.
                var least = replayBusy / Environment.ProcessorCount;
                Console.WriteLine($"  during the floor {floorUsed}");
                Console.WriteLine($"  the replay's work spread perfectly over {Environment.ProcessorCount} cores would take at least {least:0.0} s, " +
                    $"{least / result.Seconds:0.00} times the floor, against the goal's 1.3 ({1.3 * result.Seconds:0.0} s)");
            }
            Console.WriteLine("  rows written by the replay, against the floor (pg_stat_user_tables):");
            foreach (var line in TableRows.Compare(replayWrote, floorRowsWritten))
            {
                Console.WriteLine($"    {line}");
            }

            // What any replay must read before it writes those rows, read at once (docs/adr-018).
            var reads = await ReadFloor.MeasureAsync(database.ConnectionString, session);
            foreach (var read in reads)
            {
                Console.WriteLine($"  read {read.What,-30} {read.Rows,10:N0} rows {read.Seconds,7:0.00} s");
            }
            var readSeconds = reads.Sum(r => r.Seconds);
            Console.WriteLine($"Read floor {readSeconds:0.0} s; write floor plus read floor {result.Seconds + readSeconds:0.0} s, " +
                $"{(result.Seconds + readSeconds) / result.Seconds:0.00} times the write floor; replay run / both = {runSeconds / (result.Seconds + readSeconds):0.00}");
            summary.Add("write floor: the replay's rows by set-based SQL into fresh copies", $"{result.Seconds:0.0} s", "", null);
            summary.Add("read floor: what the replay must read, by set-based SQL", $"{readSeconds:0.0} s", "", null);
            summary.Add("replay (the run itself) / write floor", $"{runSeconds:0.0} s / {result.Seconds:0.0} s = {ratio:0.00}", "at most 1.3", ratio <= 1.3);
            summary.Add("replay / the floor's statements split over two connections as the replay's are", $"{runSeconds:0.0} s / {split:0.0} s = {runSeconds / split:0.00}", "", null);
            await summary.EndAsync();
            await floor.DropAsync(database.Keep);

            Console.WriteLine();
            summary.Print();
            return summary.AllMet ? 0 : 3;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Generates the outage over every patron and item of the database and splits it into one file per branch, each
    /// uploaded as from that branch's first desk: what a branch's workstations send after the outage.
    /// </summary>
    private static async Task<List<(string Desk, string File, int Lines)>> WriteOutageAsync(
        string connectionString, string dir, int transactions, int seed, double atItemBranch, DateTimeOffset start)
    {
        var clock = Stopwatch.StartNew();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var inputs = await (await GeneratorInputs.LoadAsync(dataSource, int.MaxValue, int.MaxValue)).WithItemOrgsAsync(dataSource);
        var whole = Path.Combine(dir, "outage.jsonl");
        await using (var writer = new StreamWriter(whole))
        {
            await new TransactionGenerator(inputs, seed) { AtItemBranch = atItemBranch }.WriteAsync(writer, transactions, start);
        }
        var byOrg = new Dictionary<string, (StreamWriter Writer, string File, int Lines)>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(whole))
            {
                var org = OrgOf(line);
                if (!byOrg.TryGetValue(org, out var target))
                {
                    var file = Path.Combine(dir, $"outage-{org}.jsonl");
                    target = (new StreamWriter(file), file, 0);
                }
                await target.Writer.WriteLineAsync(line);
                byOrg[org] = target with { Lines = target.Lines + 1 };
            }
        }
        finally
        {
            foreach (var (writer, _, _) in byOrg.Values)
            {
                await writer.DisposeAsync();
            }
        }
        File.Delete(whole);
        var outage = byOrg.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (inputs.Workstations.First(w => w.Org == kv.Key).Name, kv.Value.File, kv.Value.Lines)).ToList();
        Console.WriteLine($"Wrote {transactions:N0} lines over {inputs.PatronBarcodes.Count:N0} patrons and {inputs.ItemBarcodes.Count:N0} items into " +
            $"{outage.Count} branch files, {outage.Sum(o => new FileInfo(o.File).Length) / 1048576.0:0.0} MiB, in {clock.Elapsed.TotalSeconds:0.0} s");
        return outage;
    }

    /// <summary>
    /// When the outage began: --outage-start (a date; 14:00 UTC that day) to repeat a run exactly, else early enough that
    /// its last line is a day or more before today. Replayed soon after, as real outages are, its due dates fall as they
    /// would then (a fixed date long ago would make every due date already past, and nearly every checkout a warning).
    /// </summary>
    private static DateTimeOffset OutageStart(string pinned, int transactions)
    {
        if (pinned.Length > 0)
        {
            return DateTimeOffset.ParseExact(pinned, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddHours(14);
        }
        var days = Math.Ceiling(transactions * SecondsPerLine / 86_400) + 1;
        return new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-days).AddHours(14);
    }

    /// <summary>The value of a generated line's "org" field (the generator writes it without spaces).</summary>
    private static string OrgOf(string line)
    {
        const string field = "\"org\":\"";
        var start = line.IndexOf(field, StringComparison.Ordinal) + field.Length;
        return line[start..line.IndexOf('"', start)];
    }

    private static async Task<long> CreateSessionAsync(HttpClient http)
    {
        var created = await http.PostAsJsonAsync("/api/sessions", new { org = "CONS", description = "Consortium benchmark" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<(double Seconds, JsonElement Answer)> UploadAsync(HttpClient http, long session, string desk, string file)
    {
        var clock = Stopwatch.StartNew();
        await using var stream = File.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(desk), "workstation" },
            { new StreamContent(stream, 1 << 16), "file", Path.GetFileName(file) },
        };
        var response = await http.PostAsync($"/api/sessions/{session}/files", form);
        var body = await response.Content.ReadAsStringAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Upload of {Path.GetFileName(file)} failed: {(int)response.StatusCode} {body[..Math.Min(2000, body.Length)]}");
        }
        return (seconds, JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>
    /// One status poll; <c>ClientPause</c> is how long the benchmark's own collector paused it, <c>Served</c> what the
    /// node's Server-Timing said of its figures (from memory or read, and how long they took).
    /// </summary>
    private sealed record Poll(double At, double Milliseconds, long Done, long Total, string State, double ClientPause, string Served);

    /// <summary>
    /// Starts the run and polls the session as the portal's progress bar does until it is processed; the seconds of the
    /// run itself (session_runs: from the job's start to its end, without the wait for a job worker).
    /// </summary>
    private static async Task<(double RunSeconds, double Busy)> ReplayAsync(AppProcess worker, AppProcess web, HttpClient http, HttpClient workerHttp, long session, int transactions,
        string connectionString, Summary summary)
    {
        var polls = new List<Poll>();
        var workerPolls = new List<Poll>();
        var rss = 0.0;
        var clock = Stopwatch.StartNew();
        // The session's page is open before its administrator presses Process, and polls as it stands: nodes that serve
        // people have answered this question before, as a freshly started benchmark node has not.
        await PollQuietlyAsync(http, session, clock, 20);
        await PollQuietlyAsync(workerHttp, session, clock, 20);
        clock.Restart();
        var probe = new StallProbe(clock);
        var cpu = CpuUse.Start(("the worker", worker.Id), ("the web node", web.Id), ("the benchmark", Environment.ProcessId));
        (await http.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
        using (probe)
        using (var timer = new PeriodicTimer(PollEvery))
        {
            while (true)
            {
                var poll = await PollAsync(http, session, clock);
                polls.Add(poll);
                // The same question asked of the worker node too: what a single node that both replays and serves answers.
                workerPolls.Add(await PollAsync(workerHttp, session, clock));
                rss = Math.Max(rss, AppProcess.ResidentMemoryMiB(worker.Id) ?? 0);
                if (poll.State == "Processed")
                {
                    break;
                }
                if (clock.Elapsed > TimeSpan.FromHours(2))
                {
                    throw new TimeoutException($"The replay was not done after two hours ({poll.Done:N0} of {poll.Total:N0}).");
                }
                await timer.WaitForNextTickAsync();
            }
        }
        var seconds = polls[^1].At;
        var (busy, used) = cpu.Stop(seconds);
        var peak = AppProcess.PeakMemoryMiB(worker.Id) ?? 0;
        var own = await RunSecondsAsync(connectionString, session);

        // After the replay the same page keeps asking a few times: what a librarian opening the finished session waits.
        var after = await PollQuietlyAsync(http, session, clock, 20);

        var total = polls[^1].Total;
        Console.WriteLine($"Replayed {total:N0} transactions in {seconds:0.0} s from the request to the processed state " +
            $"({total / seconds:N0} per second; the run itself {own:0.0} s); {polls.Count} polls");
        if (used is not null)
        {
            Console.WriteLine($"During the replay {used}");
        }
        var tenths = Tenths(polls, total);
        Console.WriteLine($"Rate over each tenth of the transactions (per second): {string.Join(", ", tenths.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($"Worker node peak memory (VmHWM) {peak:0} MiB; largest resident memory seen while polling {rss:0} MiB; " +
            $"web node peak memory {AppProcess.PeakMemoryMiB(web.Id) ?? 0:0} MiB");
        var during = Percentiles(polls.Select(p => p.Milliseconds));
        var onWorker = Percentiles(workerPolls.Select(p => p.Milliseconds));
        var idle = Percentiles(after.Select(p => p.Milliseconds));
        Console.WriteLine($"The polls ran on a thread of the benchmark's own{(RealTimeThread.Polls.RealTime ? " at real-time priority" : " (at normal priority: no right to real-time)")}, so no answer waited for the client to get a core");
        Console.WriteLine($"GET /api/sessions/{{id}} of the web node during the replay: p50 {during.P50:0.0} ms, p95 {during.P95:0.0} ms, max {during.Max:0.0} ms over {polls.Count} polls; " +
            $"after it: p50 {idle.P50:0.0} ms, max {idle.Max:0.0} ms over {after.Count} polls");
        Console.WriteLine($"  the web node's figures came from memory in {polls.Count(p => p.Served.Contains("figures kept", StringComparison.Ordinal))} polls " +
            $"and from the database in {polls.Count(p => p.Served.Contains("figures read", StringComparison.Ordinal))} (docs/adr-021)");
        Console.WriteLine($"  asked of the worker node (one process replaying and serving): p50 {onWorker.P50:0.0} ms, p95 {onWorker.P95:0.0} ms, max {onWorker.Max:0.0} ms");
        // When the slow ones came: the run's start and end, the collector's pauses and the machine's own stalls each leave
        // their mark. A stall the real-time probe saw during a poll held up everything on the machine, the app included.
        var stalls = probe.Stalls;
        Console.WriteLine($"  the {(probe.RealTime ? "real-time" : "normal-priority")} probe thread woke 10 ms or more late {stalls.Count} times" +
            (stalls.Count == 0 ? "" : $" (longest {stalls.Max(s => s.Milliseconds):0} ms): " +
                string.Join(", ", stalls.Take(40).Select(s => $"{s.Milliseconds:0} ms at {s.End:0.0} s"))));
        double Stall(Poll p) => StallProbe.LongestWithin(stalls, p.At - p.Milliseconds / 1000, p.At);
        foreach (var (node, list) in new[] { ("of the web node", polls), ("of the worker node", workerPolls), ("after the replay", after) })
        {
            var slow = list.Where(p => p.Milliseconds >= 20).ToList();
            Console.WriteLine($"  {slow.Count} polls {node} took 20 ms or more" + (slow.Count == 0 ? "" :
                ": " + string.Join(", ", slow.Take(40).Select(p => $"{p.Milliseconds:0} ms at {p.At:0.0} s ({p.Done * 100.0 / Math.Max(1, p.Total):0}% done" +
                    (Stall(p) is > 0 and var stall ? $", machine stalled {stall:0} ms" : "") +
                    (p.ClientPause >= 1 ? $", the benchmark's own collector paused {p.ClientPause:0} ms" : "") +
                    (p.Served.Length > 0 ? $", {p.Served}" : "") + ")"))));
        }
        // A poll the benchmark's own collector held up is not the app's: it counts here only if it was slow without that pause.
        var unexplained = polls.Count(p => p.Milliseconds >= 20 && p.Milliseconds - p.ClientPause >= 20 && Stall(p) == 0);

        if (total != transactions)
        {
            Console.WriteLine($"  note: the session holds {total:N0} transactions, not {transactions:N0}");
        }
        summary.Add($"replay {total:N0} transactions (real job, from the request to processed)", $"{seconds:0.0} s, {total / seconds:N0} per second", "at least 10,000 per second", total / seconds >= 10_000);
        summary.Add("replay rate over each tenth", $"{tenths.Min():N0} to {tenths.Max():N0} per second", "", null);
        summary.Add("worker node peak memory during the replay (VmHWM)", $"{peak:0} MiB", "under 800 MB", peak * 1048576 < 800_000_000);
        summary.Add("GET /api/sessions/{id} of the web node during the replay", $"p50 {during.P50:0.0} ms, p95 {during.P95:0.0} ms, max {during.Max:0.0} ms", "under 20 ms", during.Max < 20);
        summary.Add("  of those polls, 20 ms or more with no stall of the machine nor pause of the benchmark's collector beside them", $"{unexplained}", "", null);
        summary.Add("the same, asked of the worker node", $"p50 {onWorker.P50:0.0} ms, p95 {onWorker.P95:0.0} ms, max {onWorker.Max:0.0} ms", "", null);
        summary.Add("GET /api/sessions/{id} after the replay", $"p50 {idle.P50:0.0} ms, max {idle.Max:0.0} ms", "under 20 ms", idle.Max < 20);
        return (own, busy);
    }

    /// <summary>The status polled <paramref name="count"/> times, every 250 ms as the portal does, with nothing else asked meanwhile.</summary>
    private static async Task<List<Poll>> PollQuietlyAsync(HttpClient http, long session, Stopwatch clock, int count)
    {
        var polls = new List<Poll>();
        using var timer = new PeriodicTimer(PollEvery);
        for (var i = 0; i < count; i++)
        {
            await timer.WaitForNextTickAsync();
            polls.Add(await PollAsync(http, session, clock));
        }
        return polls;
    }

    /// <summary>
    /// "figures kept in 0.007 ms, auth kept in 0.004 ms" from the answer's Server-Timing: whether the status's figures
    /// and the token's check came from memory ("kept") or the database ("read"), and how long each took (docs/adr-021).
    /// </summary>
    private static string Served(HttpResponseMessage response)
    {
        var metrics = response.Headers.TryGetValues("Server-Timing", out var values) ? values.SelectMany(v => v.Split(',')) : [];
        return string.Join(", ", metrics.Select(metric =>
        {
            var fields = metric.Split(';').Select(f => f.Trim()).ToList();
            var parts = fields.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            var name = fields[0] == "status" ? "figures" : fields[0];
            return !parts.TryGetValue("dur", out var dur) ? ""
                : parts.TryGetValue("desc", out var desc) ? $"{name} {desc} in {dur} ms"
                : name == "app" ? $"held by the node {dur} ms" : $"{name} {dur} ms";
        }).Where(m => m.Length > 0));
    }

    /// <summary>One poll, timed on the benchmark's real-time thread from the request to the answer's last byte.</summary>
    private static Task<Poll> PollAsync(HttpClient http, long session, Stopwatch clock) => RealTimeThread.Polls.RunAsync(() =>
    {
        var paused = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{session}"));
        using var body = new MemoryStream();
        response.Content.ReadAsStream().CopyTo(body);
        var milliseconds = watch.Elapsed.TotalMilliseconds;
        var clientPause = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        var detail = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length)).RootElement;
        var progress = detail.GetProperty("progress");
        return new Poll(clock.Elapsed.TotalSeconds, milliseconds, progress.GetProperty("done").GetInt64(), progress.GetProperty("total").GetInt64(),
            detail.GetProperty("state").GetString()!, clientPause, Served(response));
    });

    /// <summary>The transactions per second over each tenth of the transactions, from when the polls saw each tenth done.</summary>
    private static double[] Tenths(List<Poll> polls, long total)
    {
        var rates = new double[10];
        var start = 0.0;
        for (var k = 1; k <= 10; k++)
        {
            var target = total * k / 10.0;
            var end = polls[^1].At;
            for (var i = 0; i < polls.Count; i++)
            {
                if (polls[i].Done >= target)
                {
                    // Between the poll before and this one, as if the work went at an even pace.
                    var (t0, d0) = i == 0 ? (0.0, 0L) : (polls[i - 1].At, polls[i - 1].Done);
                    end = polls[i].Done == d0 ? polls[i].At : t0 + (polls[i].At - t0) * (target - d0) / (polls[i].Done - d0);
                    break;
                }
            }
            rates[k - 1] = total / 10.0 / Math.Max(end - start, 1e-6);
            start = end;
        }
        return rates;
    }

    /// <summary>How long the run took by its own record (session_runs), without the wait for a job worker.</summary>
    private static async Task<double> RunSecondsAsync(string connectionString, long session)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT extract(epoch FROM finished_at - started_at)::float8 FROM session_runs WHERE session_id = $1 ORDER BY run DESC LIMIT 1", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = session });
        return (double)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Downloads results.csv to nowhere while sampling the app's resident memory.</summary>
    private static async Task ResultsCsvAsync(AppProcess app, HttpClient http, long session, Summary summary)
    {
        long bytes = 0, lines = 0;
        var clock = Stopwatch.StartNew();
        var memory = Sampler.ResidentMemory(app.Id, TimeSpan.FromMilliseconds(50));
        await using (memory)
        {
            using var response = await http.GetAsync($"/api/sessions/{session}/results.csv", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var growth = memory.Max - (memory.First ?? 0);
        Console.WriteLine($"results.csv: {lines - 1:N0} rows, {bytes / 1048576.0:0.0} MiB in {seconds:0.0} s; app resident memory {memory.First:0} MiB before, " +
            $"at most {memory.Max:0} MiB during ({memory.Samples} samples), {AppProcess.ResidentMemoryMiB(app.Id):0} MiB after: grew {growth:0} MiB");
        summary.Add($"results.csv of {lines - 1:N0} results", $"{seconds:0.0} s, resident memory +{growth:0} MiB", "under 10 s, flat", seconds < 10 && growth < 64);
    }

    /// <summary>
    /// Readers that each page through their own stretch of the session's exceptions, following the page's "Next page"
    /// link as a person does, so no two ever ask for the same address and none is served from the page cache.
    /// </summary>
    private static async Task<bool> ExceptionsPageAsync(AppProcess app, BenchAccount account, string connectionString, long session, int readers, int pagesPerReader, Summary summary)
    {
        using var http = await app.SignInWithFormAsync(account);
        if (http is null)
        {
            return false;
        }
        // The keyset of every page: page k starts after the last transaction of page k - 1.
        var starts = new List<long> { 0 };
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                SELECT transaction_id FROM transaction_results
                WHERE session_id = $1 AND is_current AND status <> 'applied' ORDER BY transaction_id
                """, conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = session });
            await using var reader = await cmd.ExecuteReaderAsync();
            for (var n = 1; await reader.ReadAsync(); n++)
            {
                if (n % ExceptionsPageSize == 0)
                {
                    starts.Add(reader.GetInt64(0));
                }
            }
        }
        // Each reader has its own stretch of pages: its measured pages first, then the pages it warms up on.
        var stretch = starts.Count / readers;
        var measured = Math.Min(pagesPerReader, stretch / 2);
        // The runtime compiles hot code again, optimized, once it has been called often enough and a core is free: a
        // server that has run for a while has done so. Sixty pages a reader let it finish before the measured ones.
        var warmUp = Math.Min(60, stretch - measured);
        if (measured < 1)
        {
            Console.Error.WriteLine($"Only {starts.Count} exception pages: too few for {readers} readers with pages of their own.");
            return false;
        }
        // Warm up at the same concurrency first, on other pages.
        await ReadPagesAsync(http, session, Enumerable.Range(0, readers).Select(r => starts[r * stretch + measured]), warmUp);
        var clock = Stopwatch.StartNew();
        await using var cpu = new AppCpu(app.Id);
        await using var upkeep = new Upkeep(connectionString);
        List<double> times;
        IReadOnlyList<(double End, double Milliseconds)> stalls;
        using (var probe = new StallProbe(clock))
        {
            times = await ReadPagesAsync(http, session, Enumerable.Range(0, readers).Select(r => starts[r * stretch]), measured);
            stalls = probe.Stalls;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var (appMs, compilerMs) = await cpu.StopAsync();
        var vacuumed = await upkeep.StopAsync();
        var (p50, p95, max) = Percentiles(times);
        Console.WriteLine($"Exceptions page: {times.Count} requests by {readers} readers at once, {measured} pages each of their own " +
            $"(of {starts.Count:N0} pages), in {seconds:0.0} s: p50 {p50:0.0} ms, p95 {p95:0.0} ms, max {max:0.0} ms");
        // A server this freshly warmed still compiles hot code again, optimised, on a thread of its own: said apart.
        Console.WriteLine($"  app CPU over these requests {appMs / times.Count:0.0} ms per page, of which the runtime's background compiler " +
            $"{compilerMs / times.Count:0.0} ms");
        Console.WriteLine($"  autovacuum meanwhile: {vacuumed ?? "none"}");
        // A stall of the whole machine holds up every page in flight at once.
        Console.WriteLine($"  the machine stalled 10 ms or more {stalls.Count} times meanwhile" +
            (stalls.Count == 0 ? "" : $": {string.Join(", ", stalls.Select(x => $"{x.Milliseconds:0} ms at {x.End:0.00} s"))}"));
        summary.Add($"exceptions page, {readers} readers paging at once, every address new", $"p50 {p50:0.0} ms, p95 {p95:0.0} ms", "p95 under 100 ms", p95 < 100);
        return true;
    }

    private static readonly byte[] NextMark = "\" rel=\"next\">"u8.ToArray();
    private static readonly byte[] HrefMark = "<a href=\""u8.ToArray();

    /// <summary>
    /// Reads a page whole, as a browser does, and answers its "Next page" address (null on the last page). The page is
    /// kept as bytes and the link is looked for from its end, where the page puts it: the 32 readers share two cores
    /// with the app and PostgreSQL, so this client spends as little of them as it can.
    /// </summary>
    private static async Task<string?> NextPageAsync(HttpClient http, string address)
    {
        using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.EnsureSuccessStatusCode().Content.ReadAsStreamAsync();
        // Read into a buffer of the pool, not a new array per page: a page is about 90 KiB, which the runtime would
        // otherwise allocate, clear and collect on its large-object heap for every page of every reader.
        var html = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            var length = 0;
            int read;
            while ((read = await body.ReadAsync(html.AsMemory(length))) > 0)
            {
                length += read;
                if (length == html.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(html.Length * 2);
                    html.AsSpan().CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(html);
                    html = larger;
                }
            }
            var end = html.AsSpan(0, length).LastIndexOf(NextMark);
            if (end < 0)
            {
                return null;
            }
            var start = html.AsSpan(0, end).LastIndexOf(HrefMark) + HrefMark.Length;
            return System.Net.WebUtility.HtmlDecode(Encoding.UTF8.GetString(html, start, end - start));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(html);
        }
    }

    /// <summary>Each reader starts at its page and follows "Next page" for <paramref name="pages"/> pages; every request's milliseconds.</summary>
    private static async Task<List<double>> ReadPagesAsync(HttpClient http, long session, IEnumerable<long> firstPages, int pages)
    {
        var times = new List<double>();
        await Task.WhenAll(firstPages.Select(async after =>
        {
            var address = after > 0 ? $"/Sessions/Exceptions/{session}?after={after}" : $"/Sessions/Exceptions/{session}";
            for (var i = 0; i < pages && address is not null; i++)
            {
                var watch = Stopwatch.StartNew();
                var next = await NextPageAsync(http, address);
                var milliseconds = watch.Elapsed.TotalMilliseconds;
                lock (times)
                {
                    times.Add(milliseconds);
                }
                address = next;
            }
        }));
        return times;
    }

    private static (double P50, double P95, double Max) Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? (0, 0, 0) : (sorted[sorted.Count / 2], sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1], sorted[^1]);
    }

    /// <summary>
    /// The closing table: each step's figure beside its goal, as README's benchmark tables show them, and the machine's
    /// load average while the step ran (on a shared machine the figures move with it; the benchmark's own app and
    /// PostgreSQL count too, about 2 while a step keeps them busy).
    /// </summary>
    private sealed class Summary
    {
        private readonly List<(string Step, string Measured, string Goal, bool? Met, string Load)> _rows = [];
        private Sampler? _load;
        private int _stepStart;

        public bool AllMet => _rows.All(r => r.Met is not false);

        /// <summary>Starts a step (with its heading, when given) and samples the load until <see cref="EndAsync"/>.</summary>
        public void Begin(string? title)
        {
            if (title is not null)
            {
                Console.WriteLine($"\n{title}");
            }
            _load = Sampler.Load();
            _stepStart = _rows.Count;
        }

        public void Add(string step, string measured, string goal, bool? met) => _rows.Add((step, measured, goal, met, ""));

        public async Task EndAsync()
        {
            var load = _load!;
            await load.DisposeAsync();
            var text = $"{load.Mean:0.0} (max {load.Max:0.0})";
            Console.WriteLine($"Machine load average (1 min) during this step: {text} on {Environment.ProcessorCount} cores");
            for (var i = _stepStart; i < _rows.Count; i++)
            {
                _rows[i] = _rows[i] with { Load = text };
            }
        }

        public void Print()
        {
            var text = new StringBuilder();
            text.AppendLine("| step | measured | goal | load average |").AppendLine("|---|---|---|---|");
            foreach (var (step, measured, goal, met, load) in _rows)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {step} | {measured} | {goal}{(met is false ? " (not met)" : "")} | {load} |");
            }
            Console.Write(text);
        }
    }
}
