using System.Diagnostics;
using System.Globalization;
using System.Net;
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
        summary.Begin("CPU per page, one request at a time");
        // Twice, each time a new reader: the first pass lets the runtime finish compiling what one page runs.
        for (var pass = 1; pass <= 2; pass++)
        {
            if (!await CpuPerPageAsync(app, account, database.ConnectionString, session, options.Int("cpu-pages", 300), pass == 2 ? summary : null))
            {
                return 1;
            }
        }
        await summary.EndAsync();
        Console.WriteLine();
        summary.Print();
        return summary.AllMet ? 0 : 3;
    }

    /// <summary>
    /// A new reader (so no page comes from the cache) follows "Next page" from the first page, one request at a time;
    /// the CPU of the app, of the database's backends and of this client over those requests, divided by their number.
    /// Only a pass given the summary goes into the closing table.
    /// </summary>
    private static async Task<bool> CpuPerPageAsync(AppProcess app, BenchAccount account, string connectionString, long session, int pages, Summary? summary)
    {
        using var http = await app.SignInWithFormAsync(account);
        if (http is null)
        {
            return false;
        }
        // One page first, so the pool's connections exist and are counted below.
        var address = await NextAsync(http, $"/Sessions/Exceptions/{session}");
        var backends = await BackendsAsync(connectionString);
        var appBefore = CpuMilliseconds(app.Id) ?? 0;
        var databaseBefore = backends.ToDictionary(pid => pid, pid => CpuMilliseconds(pid) ?? 0);
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var clock = Stopwatch.StartNew();
        var read = 0;
        for (; read < pages && address is not null; read++)
        {
            address = await NextAsync(http, address);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var appMs = ((CpuMilliseconds(app.Id) ?? 0) - appBefore) / read;
        var clientMs = (Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - clientBefore) / read;
        // Backends that appeared meanwhile count from zero.
        var databaseMs = (await BackendsAsync(connectionString)).Union(backends)
            .Sum(pid => (CpuMilliseconds(pid) ?? 0) - databaseBefore.GetValueOrDefault(pid)) / read;
        Console.WriteLine($"{read} pages one at a time in {seconds:0.0} s ({seconds * 1000 / read:0.0} ms each): CPU per page app {appMs:0.0} ms, " +
            $"PostgreSQL {databaseMs:0.0} ms, this client {clientMs:0.0} ms; total {appMs + databaseMs + clientMs:0.0} ms");
        summary?.Add("exceptions page, CPU per page read alone (app + PostgreSQL + client)",
            $"{appMs:0.0} + {databaseMs:0.0} + {clientMs:0.0} = {appMs + databaseMs + clientMs:0.0} ms", "", null);
        return true;
    }

    /// <summary>Reads a page and answers its "Next page" address (null on the last page).</summary>
    private static async Task<string?> NextAsync(HttpClient http, string address)
    {
        using var response = await http.GetAsync(address);
        var html = await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var next = NextLink.Match(html);
        return next.Success ? WebUtility.HtmlDecode(next.Groups[1].Value) : null;
    }

    /// <summary>The server processes serving the database's other connections (the app's pool).</summary>
    private static async Task<List<int>> BackendsAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", conn);
        var pids = new List<int>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }
        return pids;
    }

    /// <summary>User and system CPU time of a process so far (/proc/PID/stat), in ms; null when it is gone or /proc is missing.</summary>
    private static double? CpuMilliseconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 1000.0 / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // USER_HZ, 100 on Linux everywhere.
    private const double ClockTicksPerSecond = 100;
}
