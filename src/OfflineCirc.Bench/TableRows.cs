using Npgsql;

namespace OfflineCirc.Bench;

/// <summary>
/// The rows inserted and updated in one schema's tables while a step ran, from the server's own counters
/// (pg_stat_user_tables). A replay writes a row once per batch that changes it (an item lent in one batch and returned
/// in another is updated twice), where the write floor writes each row's final state once.
/// </summary>
public sealed class TableRows
{
    private const string CountersSql = """
        SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE schemaname = $1
        """;

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Dictionary<string, long[]> _before;

    private TableRows(string connectionString, string schema, Dictionary<string, long[]> before) =>
        (_connectionString, _schema, _before) = (connectionString, schema, before);

    /// <summary>Inserted, updated and of those updated in place (HOT), per table.</summary>
    public sealed record Written(string Table, long Inserted, long Updated, long HotUpdated);

    public static async Task<TableRows> StartAsync(string connectionString, string schema) =>
        new(connectionString, schema, await ReadAsync(connectionString, schema));

    /// <summary>
    /// What each table gained since <see cref="StartAsync"/>. Backends report their counts when they end or go idle, so
    /// this is read once the connections that wrote are closed.
    /// </summary>
    public async Task<Dictionary<string, Written>> StopAsync()
    {
        var now = await ReadAsync(_connectionString, _schema);
        return now.Select(n => (n.Key, d: n.Value.Zip(_before.GetValueOrDefault(n.Key) ?? [0, 0, 0], (a, b) => a - b).ToArray()))
            .Where(x => x.d[0] > 0 || x.d[1] > 0)
            .ToDictionary(x => x.Key, x => new Written(x.Key, x.d[0], x.d[1], x.d[2]));
    }

    /// <summary>One line per table the replay wrote: its rows against the floor's.</summary>
    public static IEnumerable<string> Compare(Dictionary<string, Written> replay, Dictionary<string, Written> floor)
    {
        foreach (var r in replay.Values.OrderByDescending(r => r.Inserted + r.Updated))
        {
            var f = floor.GetValueOrDefault(r.Table) ?? new Written(r.Table, 0, 0, 0);
            yield return $"{r.Table,-22} inserted {r.Inserted,10:N0} against {f.Inserted,10:N0}; " +
                $"updated {r.Updated,10:N0} (in place {r.HotUpdated:N0}) against {f.Updated:N0} (in place {f.HotUpdated:N0})";
        }
    }

    private static async Task<Dictionary<string, long[]>> ReadAsync(string connectionString, string schema)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(CountersSql, conn) { Parameters = { new() { Value = schema } } };
        await using var reader = await cmd.ExecuteReaderAsync();
        var counts = new Dictionary<string, long[]>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = [reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)];
        }
        return counts;
    }
}
