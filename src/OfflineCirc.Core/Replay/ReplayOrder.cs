using Npgsql;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// The ids of a session's unprocessed transactions in replay order (docs/replay-rules.md: registrations first, then recorded
/// time, ties by upload order and line), read once when a run starts or resumes and handed out a batch at a time.
/// Intake then maintains no ordering index for the replay. When the list runs out it is read again, so lines uploaded
/// while the run went are processed by it too; an empty read ends the run.
/// </summary>
internal sealed class ReplayOrder(long sessionId)
{
    private const string OrderSql = """
        SELECT id FROM offline_transactions
        WHERE session_id = $1 AND processed_run IS NULL
        ORDER BY NOT (type = ANY($2)), recorded_at, file_id, line_number, id
        """;

    private long[] _ids = [];
    private int _next;

    /// <summary>The next ids to replay, at most <paramref name="size"/>; empty when none are left.</summary>
    public async Task<long[]> NextAsync(NpgsqlDataSource dataSource, int size, CancellationToken ct)
    {
        if (_next >= _ids.Length)
        {
            _ids = await ReadAsync(dataSource, ct);
            _next = 0;
        }
        return TakeBuffered(size);
    }

    /// <summary>
    /// The next ids from the list already read, at most <paramref name="size"/>, without reading it again; empty when
    /// the list is used up. A read of the list sees only committed batches, so only this may run while one is open.
    /// </summary>
    public long[] TakeBuffered(int size)
    {
        var take = Math.Min(size, _ids.Length - _next);
        var slice = _ids.AsSpan(_next, take).ToArray();
        _next += take;
        return slice;
    }

    private async Task<long[]> ReadAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var ids = new List<long>();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await BatchLoader.ReadAsync(conn, OrderSql, [sessionId, Transactions.TransactionKinds.ReplayedFirst], r => ids.Add(r.GetInt64(0)), ct);
        return [.. ids];
    }
}
