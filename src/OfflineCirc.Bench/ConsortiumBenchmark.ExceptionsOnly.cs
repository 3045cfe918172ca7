using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Bench;

public static partial class ConsortiumBenchmark
{
    /// <summary>
    /// `consortium --exceptions-only DATABASE`: step 5 again, against the database a `--keep true` run left, so a change
    /// to the page is measured in a minute rather than a whole run. Then the CPU one page costs: pages read one at a
    /// time by a reader of its own, with the app's, its PostgreSQL backends' and this client's CPU time around them.
    /// </summary>
    private static async Task<int> ExceptionsOnlyAsync(BenchOptions options, string databaseName)
    {
        var database = new BenchDatabase(options.AdminConnectionString, databaseName) { Keep = true };
        var account = BenchAccount.New();
        long session;
        await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
        {
            // The kept run's password was never written down: its account gets this run's.
            await using (var reset = dataSource.CreateCommand("""
                UPDATE "AspNetUsers" SET password_hash = $1, access_failed_count = 0, lockout_end = NULL WHERE normalized_email = $2
                """))
            {
                reset.Parameters.Add(new NpgsqlParameter { Value = new PasswordHasher<AppUser>().HashPassword(new AppUser(), account.Password) });
                reset.Parameters.Add(new NpgsqlParameter { Value = account.Email.ToUpperInvariant() });
                if (await reset.ExecuteNonQueryAsync() != 1)
                {
                    Console.Error.WriteLine($"{databaseName} has no account {account.Email}: was it kept by a consortium run?");
                    return 1;
                }
            }
            await using var find = dataSource.CreateCommand("SELECT id FROM sessions WHERE state = 'processed' ORDER BY id DESC LIMIT 1");
            if (await find.ExecuteScalarAsync() is not long id)
            {
                Console.Error.WriteLine($"{databaseName} has no processed session.");
                return 1;
            }
            session = id;
        }
        var environment = AppProcess.Environment(database, account);
        environment["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning";
        var summary = new Summary();
        await using var app = await AppProcess.StartServerAsync(options.WebDll, environment);
        Console.WriteLine($"Exceptions page of session {session} in {databaseName}; {Environment.ProcessorCount} cores");
        summary.Begin("5. Exceptions page");
        if (!await ExceptionsPageAsync(app, account, database.ConnectionString, session, options.Int("concurrency", 32), options.Int("pages", 20), summary))
        {
            return 1;
        }
        await summary.EndAsync();
        summary.Begin("CPU per request, one request at a time");
        // Twice, each time a new reader: the first pass lets the runtime finish compiling what one page runs.
        for (var pass = 1; pass <= 2; pass++)
        {
            if (!await CpuPerPageAsync(app, account, database.ConnectionString, session, options.Int("cpu-pages", 300), pass == 2 ? summary : null))
            {
                return 1;
            }
        }
        // What any request costs on this machine, for comparison: the status with its token (two statements), and the
        // liveness probe, which reads nothing. The page cannot cost less than these.
        using (var api = await app.SignInAsync(account))
        {
            for (var pass = 1; pass <= 2; pass++)
            {
                await CpuPerRequestAsync("status (GET /api/sessions/{id}, token)", app, database.ConnectionString, options.Int("cpu-pages", 300),
                    async () => (await api.GetByteArrayAsync($"/api/sessions/{session}")).Length > 0, pass == 2 ? summary : null);
                // Without the token: the authentication middleware would check it, one statement, on every request.
                using var anonymous = new HttpClient { BaseAddress = app.Address };
                await CpuPerRequestAsync("liveness probe (GET /healthz/live, no sign-in, no database)", app, database.ConnectionString, options.Int("cpu-pages", 300),
                    async () => (await anonymous.GetByteArrayAsync("/healthz/live")).Length >= 0, pass == 2 ? summary : null);
            }
        }
        await summary.EndAsync();
        summary.Begin("Status with nothing else running");
        using (var api = await app.SignInAsync(account))
        {
            var polls = await PollQuietlyAsync(api, session, Stopwatch.StartNew(), 40);
            var idle = Percentiles(polls.Select(p => p.Milliseconds));
            Console.WriteLine($"GET /api/sessions/{{id}} alone: p50 {idle.P50:0.0} ms, max {idle.Max:0.0} ms over {polls.Count} polls");
            summary.Add("GET /api/sessions/{id} with nothing else running", $"p50 {idle.P50:0.0} ms, max {idle.Max:0.0} ms", "under 20 ms", idle.Max < 20);
        }
        await summary.EndAsync();
        Console.WriteLine();
        summary.Print();
        return summary.AllMet ? 0 : 3;
    }

    /// <summary>
    /// A new reader (so no page comes from the cache) follows "Next page" from the first page, one request at a time.
    /// Only a pass given the summary goes into the closing table.
    /// </summary>
    private static async Task<bool> CpuPerPageAsync(AppProcess app, BenchAccount account, string connectionString, long session, int pages, Summary? summary)
    {
        using var http = await app.SignInWithFormAsync(account);
        if (http is null)
        {
            return false;
        }
        // One page first, so the pool's connections exist and are counted below; its size says what each page sends.
        var first = await http.GetByteArrayAsync($"/Sessions/Exceptions/{session}");
        Console.WriteLine($"exceptions page: {first.Length / 1024.0:0.0} KiB of HTML for {ExceptionsPageSize} rows");
        var address = await NextPageAsync(http, $"/Sessions/Exceptions/{session}");
        await CpuPerRequestAsync("exceptions page", app, connectionString, pages, async () =>
        {
            address = address is null ? null : await NextPageAsync(http, address);
            return address is not null;
        }, summary);
        return true;
    }

    /// <summary>
    /// Requests made one at a time by <paramref name="next"/> (false: no more) and the CPU of the app, of the database's
    /// backends and of this client over them, divided by their number.
    /// </summary>
    private static async Task CpuPerRequestAsync(string what, AppProcess app, string connectionString, int count, Func<Task<bool>> next, Summary? summary)
    {
        var backends = await BackendsAsync(connectionString);
        await using var cpu = new AppCpu(app.Id);
        var databaseBefore = backends.ToDictionary(pid => pid, pid => CpuUse.Milliseconds(pid) ?? 0);
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var clock = Stopwatch.StartNew();
        var read = 0;
        while (read < count && await next())
        {
            read++;
        }
        read = Math.Max(read, 1);
        var seconds = clock.Elapsed.TotalSeconds;
        var (appTotal, compilerTotal) = await cpu.StopAsync();
        var (appMs, compilerMs) = (appTotal / read, compilerTotal / read);
        var clientMs = (Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - clientBefore) / read;
        // Backends that appeared meanwhile count from zero.
        var databaseMs = (await BackendsAsync(connectionString)).Union(backends)
            .Sum(pid => (CpuUse.Milliseconds(pid) ?? 0) - databaseBefore.GetValueOrDefault(pid)) / read;
        Console.WriteLine($"{what}: {read} one at a time in {seconds:0.0} s ({seconds * 1000 / read:0.0} ms each): CPU per request app {appMs:0.0} ms " +
            $"(of which the runtime's background compiler {compilerMs:0.0} ms), PostgreSQL {databaseMs:0.0} ms, this client {clientMs:0.0} ms; " +
            $"total {appMs + databaseMs + clientMs:0.0} ms");
        summary?.Add($"{what}, CPU per request alone (app + PostgreSQL + client)",
            $"{appMs:0.0} + {databaseMs:0.0} + {clientMs:0.0} = {appMs + databaseMs + clientMs:0.0} ms", "", null);
    }

    /// <summary>The server processes serving the database's other connections (the app's pool), not autovacuum's workers.</summary>
    private static async Task<List<int>> BackendsAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()", conn);
        var pids = new List<int>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }
        return pids;
    }

    /// <summary>
    /// The CPU of an app process over a stretch, and how much of it the runtime's background compiler took: the thread
    /// that compiles hot methods again, optimised, while a freshly started server warms up. It only lives while it has
    /// work, so it is looked for every few milliseconds.
    /// </summary>
    private sealed class AppCpu : IAsyncDisposable
    {
        private readonly int _pid;
        private readonly double _start;
        private readonly Dictionary<int, (double First, double Last)> _compiler = [];
        private readonly Dictionary<int, bool> _named = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _watching;

        public AppCpu(int pid)
        {
            _pid = pid;
            _start = CpuUse.Milliseconds(pid) ?? 0;
            LookAtCompiler(first: true);
            _watching = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token))
                    {
                        LookAtCompiler(first: false);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            });
        }

        /// <summary>The app's CPU so far and the background compiler's part of it, in ms.</summary>
        public async Task<(double App, double Compiler)> StopAsync()
        {
            await _stop.CancelAsync();
            await _watching;
            LookAtCompiler(first: false);
            return ((CpuUse.Milliseconds(_pid) ?? 0) - _start, _compiler.Values.Sum(c => c.Last - c.First));
        }

        private void LookAtCompiler(bool first)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{_pid}/task"))
                {
                    var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                    // A thread's name is read once: reading every thread's name every 20 ms cost this client more than
                    // the pages it measured.
                    if (!_named.TryGetValue(tid, out var compiler))
                    {
                        _named[tid] = compiler = File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal);
                    }
                    if (!compiler || CpuUse.Milliseconds(_pid, tid) is not { } now)
                    {
                        continue;
                    }
                    // A compiler thread already running at the start counts from there; one started later, from nothing.
                    _compiler[tid] = _compiler.TryGetValue(tid, out var seen) ? seen with { Last = now } : (first ? now : 0, now);
                }
            }
            catch (IOException)
            {
                // A thread ended while being read.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _watching;
            _stop.Dispose();
        }
    }
}
