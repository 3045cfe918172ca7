using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Reports;

/// <summary>How many transactions of one group (a workstation, a type) ended in each status.</summary>
public sealed record Breakdown(string Name, long Total, long Applied, long Warning, long Failed, long Skipped)
{
    public long Unprocessed => Total - Applied - Warning - Failed - Skipped;
}

public sealed record CodeCount(string Code, long Count);

/// <summary>
/// The figures of the session page (docs/reports.md): by status (the running counts of docs/adr-016), by code, by
/// workstation, by type.
/// </summary>
public sealed record SessionBreakdown(
    long Transactions, long Unprocessed, IReadOnlyDictionary<ResultStatus, long> ByStatus, IReadOnlyList<CodeCount> ByCode,
    IReadOnlyList<Breakdown> ByWorkstation, IReadOnlyList<Breakdown> ByType, long FollowUps)
{
    public long Count(ResultStatus status) => ByStatus.GetValueOrDefault(status);

    public long Exceptions => Count(ResultStatus.Warning) + Count(ResultStatus.Failed) + Count(ResultStatus.Skipped);
}

public sealed class SessionSummary([FromKeyedServices(Infrastructure.Database.Reads)] NpgsqlDataSource dataSource)
{
    private const string BreakdownSql = """
        SELECT {0}, count(*),
               count(*) FILTER (WHERE r.status = 'applied'), count(*) FILTER (WHERE r.status = 'warning'),
               count(*) FILTER (WHERE r.status = 'failed'), count(*) FILTER (WHERE r.status = 'skipped')
        FROM offline_transactions t
        LEFT JOIN transaction_results r ON r.transaction_id = t.id AND r.is_current
        WHERE t.session_id = @session
        GROUP BY 1 ORDER BY 1
        """;

    public async Task<SessionBreakdown> CountAsync(long sessionId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // Current results by status are kept as running counts by intake and the replay: read, not counted.
        var byStatus = new Dictionary<ResultStatus, long>();
        await ReadAsync(conn, sessionId, $"""
            SELECT name, count FROM session_counts WHERE session_id = @session AND name IN ({SessionCounts.StatusNamesSql})
            """, r => byStatus[SnakeCaseEnum.Parse<ResultStatus>(r.GetString(0))] = r.GetInt64(1), ct);
        var byCode = new List<CodeCount>();
        await ReadAsync(conn, sessionId, """
            SELECT c, count(*) FROM transaction_results r CROSS JOIN LATERAL unnest(r.codes) AS c
            WHERE r.session_id = @session AND r.is_current GROUP BY c ORDER BY count(*) DESC, c
            """, r => byCode.Add(new CodeCount(r.GetString(0), r.GetInt64(1))), ct);
        var byWorkstation = await BreakdownAsync(conn, sessionId, "t.workstation", ct);
        var byType = await BreakdownAsync(conn, sessionId, "t.type", ct);
        long followUps = 0;
        await ReadAsync(conn, sessionId, """
            SELECT coalesce(sum(cardinality(follow_ups)), 0)::bigint FROM transaction_results
            WHERE session_id = @session AND is_current AND cardinality(follow_ups) > 0
            """, r => followUps = r.GetInt64(0), ct);
        var total = byType.Sum(b => b.Total);
        return new SessionBreakdown(total, byType.Sum(b => b.Unprocessed), byStatus, byCode, byWorkstation, byType, followUps);
    }

    /// <summary>How many transactions a retry would take up again (<see cref="SessionCounts.RetryableSql"/>).</summary>
    public async Task<long> RetryableAsync(long sessionId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT " + SessionCounts.RetryableSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<Breakdown>> BreakdownAsync(NpgsqlConnection conn, long sessionId, string column, CancellationToken ct)
    {
        var rows = new List<Breakdown>();
        await ReadAsync(conn, sessionId, string.Format(System.Globalization.CultureInfo.InvariantCulture, BreakdownSql, column),
            r => rows.Add(new Breakdown(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5))), ct);
        return rows;
    }

    private static async Task ReadAsync(NpgsqlConnection conn, long sessionId, string sql, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("session", sessionId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }
}
