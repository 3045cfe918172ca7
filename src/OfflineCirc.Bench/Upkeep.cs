using System.Diagnostics;
using Npgsql;

namespace OfflineCirc.Bench;

/// <summary>
/// Watches the database's own upkeep (autovacuum's workers on the benchmark's database) while a step runs, and says
/// what it worked on and for how long: after an import, an upload or a replay of a million rows the server vacuums and
/// analyzes the tables written, on the same two cores the next step is measured on.
/// </summary>
public sealed class Upkeep : IAsyncDisposable
{
    private const int EveryMilliseconds = 100;

    private const string WorkersSql = """
        SELECT coalesce(query, '') FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _seen = [];
    private readonly Task _watching;

    public Upkeep(string connectionString) => _watching = WatchAsync(connectionString, _stop.Token);

    private async Task WatchAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(WorkersSql, conn);
        while (!ct.IsCancellationRequested)
        {
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var what = reader.GetString(0).Replace("autovacuum: ", "", StringComparison.Ordinal).Replace("public.", "", StringComparison.Ordinal);
                    if (what.Length > 0)
                    {
                        _seen[what] = _seen.GetValueOrDefault(what) + 1;
                    }
                }
            }
            await Task.Delay(EveryMilliseconds, ct);
        }
    }

    /// <summary>
    /// Waits until autovacuum has left the database alone for two seconds (at most <paramref name="limit"/>), and
    /// returns the seconds waited: the minutes between gathering the files and pressing Process, squeezed.
    /// </summary>
    public static async Task<double> SettleAsync(string connectionString, TimeSpan limit)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(WorkersSql, conn);
        var clock = Stopwatch.StartNew();
        var busyUntil = TimeSpan.Zero;
        while (clock.Elapsed < limit && clock.Elapsed - busyUntil < TimeSpan.FromSeconds(2))
        {
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync())
                {
                    busyUntil = clock.Elapsed;
                }
            }
            await Task.Delay(EveryMilliseconds);
        }
        return busyUntil.TotalSeconds;
    }

    /// <summary>What autovacuum worked on during the step, each with about how long it was seen; null when nothing.</summary>
    public async Task<string?> StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
        }
        return _seen.Count == 0 ? null
            : string.Join(", ", _seen.OrderByDescending(s => s.Value).Select(s => $"{s.Key} ({s.Value * EveryMilliseconds / 1000.0:0.0} s)"));
    }

    /// <summary>
    /// What was done to the uploaded lines and by whom (the app's upkeep once uploads paused, docs/adr-027, or
    /// autovacuum), and what is still counted against them.
    /// </summary>
    public static async Task<string> LinesAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT format('vacuumed %s and analyzed %s times by the app, %s and %s by autovacuum; %s rows inserted since the last vacuum, %s changed since the last analysis',
                vacuum_count, analyze_count, autovacuum_count, autoanalyze_count, n_ins_since_vacuum, n_mod_since_analyze)
            FROM pg_stat_user_tables WHERE relname = 'offline_transactions'
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
