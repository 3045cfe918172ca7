using System.Globalization;
using Npgsql;

namespace OfflineCirc.Bench;

/// <summary>
/// What the server wrote while a step ran, from its own counters (pg_stat_bgwriter and pg_stat_wal, cluster-wide):
/// the checkpoints that began, who wrote dirty buffers out, and the log's volume with its whole-page images. A
/// checkpoint during a replay makes the first change of every page after it log the whole page, and a backend that
/// must write out buffers itself waits for it; either may explain a run slower than the one before.
/// </summary>
public sealed class ServerWrites
{
    private const string CountersSql = """
        SELECT b.checkpoints_timed, b.checkpoints_req, b.buffers_checkpoint, b.buffers_clean, b.buffers_backend,
               w.wal_records, w.wal_fpi, w.wal_bytes::bigint
        FROM pg_stat_bgwriter b, pg_stat_wal w
        """;

    private readonly string _connectionString;
    private readonly long[] _before;

    private ServerWrites(string connectionString, long[] before) => (_connectionString, _before) = (connectionString, before);

    public static async Task<ServerWrites> StartAsync(string connectionString) => new(connectionString, await ReadAsync(connectionString));

    /// <summary>One line saying what the server wrote since <see cref="StartAsync"/>.</summary>
    public async Task<string> StopAsync()
    {
        var now = await ReadAsync(_connectionString);
        var d = now.Zip(_before, (a, b) => a - b).ToArray();
        var n = CultureInfo.InvariantCulture;
        return string.Create(n, $"checkpoints begun {d[0] + d[1]} ({d[0]} timed, {d[1]} asked for by the log's size); " +
            $"buffers written by checkpoints {d[2]:N0}, the background writer {d[3]:N0}, backends themselves {d[4]:N0}; " +
            $"log {d[7] / 1048576.0:N0} MiB in {d[5]:N0} records, {d[6]:N0} of them whole pages");
    }

    private static async Task<long[]> ReadAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(CountersSql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetInt64)];
    }
}
