using System.Runtime.InteropServices;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// The ids of the transactions a run of a session has still to process, in replay order (docs/replay-rules.md: registrations first, then recorded
/// time, ties by upload order and line), read once when a run starts or resumes and handed out a batch at a time.
/// Intake then maintains no ordering index for the replay. When the list runs out it is read again, so lines uploaded
/// while the run went are processed by it too; an empty read ends the run.
/// </summary>
/// <remarks>
/// The first read is <see cref="ReadFirstAsync"/>, in the run's count, holding the session's row: an upload waits for
/// that row before it takes ids, so every line stored since has a higher id than the highest id of any line then. A
/// processing run's later reads look only there, instead of comparing every line with every result again (1.5 to 3.4 s
/// at a million, docs/adr-018, finding 38). A retry's reads stay whole: a force or a correction made while it runs
/// makes an older line pending.
/// </remarks>
internal sealed class ReplayOrder(long sessionId, int run, bool retry, bool oneTransaction = false)
{
    // A run that is one transaction (docs/adr-024) commits no result before its end, so a read of the list again would
    // hand out its lines a second time: it remembers what it handed out and leaves that out of later reads. A
    // processing run's later reads look only past the first read's newest line, so it remembers only what they gave.
    private readonly HashSet<long>? _handedOut = oneTransaction ? [] : null;
    private bool _readAgain;

    // The list's statements return each line's sort key unsorted, and the worker sorts them (ListEntry): a sort of a
    // million lines by five keys took PostgreSQL 0.3 to 1.0 s more than the same scan alone (docs/adr-018, finding 74).
    private const string Keys = "t.id, t.type = ANY($2), t.recorded_at, t.file_id, t.line_number";

    private string OrderSql(bool onlyNewer) => $"""
        SELECT {Keys}, cr.transaction_id IS NOT NULL FROM offline_transactions t {CurrentResultJoin}
        WHERE t.session_id = $1 AND {Pending(run, retry)}{(onlyNewer ? " AND t.id > $3" : "")}
        """;

    /// <summary>
    /// The list of a session none of whose lines has a current result: every line, without looking for results. The
    /// join above finds a line's result by comparing it with the current results of every session (hashed whole, or
    /// one index descent per line), which a session's first run need not pay for.
    /// </summary>
    private const string EveryLineSql = $"SELECT {Keys}, false FROM offline_transactions t WHERE t.session_id = $1";

    /// <summary>Joins each line <c>t</c> to its current result <c>cr</c>, if it has one, for <see cref="Pending"/>.</summary>
    public const string CurrentResultJoin = "LEFT JOIN transaction_results cr ON cr.transaction_id = t.id AND cr.is_current";

    /// <summary>
    /// Whether line <c>t</c>, joined by <see cref="CurrentResultJoin"/>, is still to be processed by run
    /// <paramref name="run"/>: no run has processed it yet, or the run is a retry and its current result is an earlier
    /// run's failure or a skip an administrator forced (docs/replay-rules.md, fix and retry). The lines' own rows say
    /// nothing of it: a run writes only results, so the lines stay on full pages (docs/adr-018, finding 22).
    /// </summary>
    public static string Pending(int run, bool retry) => retry
        ? $"""
          (cr.transaction_id IS NULL OR (cr.run <> {run} AND (cr.status = '{SnakeCaseEnum.ToSnake(ResultStatus.Failed)}'
              OR (cr.status = '{SnakeCaseEnum.ToSnake(ResultStatus.Skipped)}' AND t.forced))))
          """
        : "cr.transaction_id IS NULL";

    /// <summary>The run whose list this is.</summary>
    public int Run => run;

    private long[] _ids = [];
    private int _next;
    private long _newestCounted;

    /// <summary>
    /// Reads the list for the first time on <paramref name="conn"/>, inside the transaction that holds the session's row,
    /// and returns how many of its lines have no current result (the others are a retry's failures and forced skips).
    /// </summary>
    public async Task<int> ReadFirstAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var entries = new List<ListEntry>();
        var unprocessed = 0;
        var anyResult = retry;
        if (!retry)
        {
            await BatchLoader.ReadAsync(conn, "SELECT EXISTS (SELECT FROM transaction_results WHERE session_id = $1 AND is_current)",
                [sessionId], r => anyResult = r.GetBoolean(0), ct);
        }
        await BatchLoader.ReadAsync(conn, anyResult ? OrderSql(false) : EveryLineSql, [sessionId, Transactions.TransactionKinds.ReplayedFirst], r =>
        {
            entries.Add(ListEntry.Read(r));
            unprocessed += r.GetBoolean(5) ? 0 : 1;
        }, ct);
        // Any line of the session stored later takes a higher id than every line stored so far, in any session.
        await BatchLoader.ReadAsync(conn, "SELECT coalesce(max(id), 0) FROM offline_transactions", [], r => _newestCounted = r.GetInt64(0), ct);
        (_ids, _next) = (ListEntry.Sorted(entries), 0);
        return unprocessed;
    }

    /// <summary>Ids handed out or still to hand out since the list was last read.</summary>
    public int Count => _ids.Length;

    /// <summary>The next ids to replay, at most <paramref name="size"/>; empty when none are left.</summary>
    public async Task<long[]> NextAsync(NpgsqlDataSource dataSource, int size, CancellationToken ct)
    {
        if (_next >= _ids.Length)
        {
            _ids = await ReadAgainAsync(dataSource, ct);
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
        if (retry || _readAgain)
        {
            _handedOut?.UnionWith(slice);
        }
        return slice;
    }

    private async Task<long[]> ReadAgainAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        _readAgain = true;
        var entries = new List<ListEntry>();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await BatchLoader.ReadAsync(conn, OrderSql(!retry),
            retry ? [sessionId, Transactions.TransactionKinds.ReplayedFirst] : [sessionId, Transactions.TransactionKinds.ReplayedFirst, _newestCounted],
            r => entries.Add(ListEntry.Read(r)), ct);
        var ids = ListEntry.Sorted(entries);
        return _handedOut is null ? ids : [.. ids.Where(id => !_handedOut.Contains(id))];
    }
}

/// <summary>
/// A line's place in replay order (docs/replay-rules.md): registrations first, then recorded time, ties by upload
/// order (file, line) and id. The same order as <c>ORDER BY NOT (type = ANY(first kinds)), recorded_at, file_id,
/// line_number, id</c>, kept by the worker instead of sorted by the server.
/// </summary>
internal readonly record struct ListEntry(bool Later, long RecordedAtTicks, long FileId, int LineNumber, long Id) : IComparable<ListEntry>
{
    /// <summary>Reads the first five columns of a list's row: id, whether it replays first, recorded_at, file_id, line_number.</summary>
    public static ListEntry Read(NpgsqlDataReader r) =>
        new(!r.GetBoolean(1), r.GetFieldValue<DateTimeOffset>(2).UtcTicks, r.GetInt64(3), r.GetInt32(4), r.GetInt64(0));

    /// <summary>The ids of <paramref name="entries"/>, in replay order.</summary>
    public static long[] Sorted(List<ListEntry> entries)
    {
        var span = CollectionsMarshal.AsSpan(entries);
        span.Sort();
        var ids = new long[span.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = span[i].Id;
        }
        return ids;
    }

    public int CompareTo(ListEntry other)
    {
        var c = Later.CompareTo(other.Later);
        c = c != 0 ? c : RecordedAtTicks.CompareTo(other.RecordedAtTicks);
        c = c != 0 ? c : FileId.CompareTo(other.FileId);
        c = c != 0 ? c : LineNumber.CompareTo(other.LineNumber);
        return c != 0 ? c : Id.CompareTo(other.Id);
    }
}
