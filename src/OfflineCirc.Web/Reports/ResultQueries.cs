using System.Text;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Reports;

/// <summary>What the exceptions list and exceptions.csv are narrowed to; null means any.</summary>
public sealed record ExceptionFilter(ResultStatus? Status = null, string? Code = null, string? Type = null, string? Workstation = null, bool? Resolved = null)
{
    public static ExceptionFilter None { get; } = new();
}

/// <summary>A row of the exceptions page: the result, the time zone of the library it is placed at, and the desk's overrides of its line.</summary>
public sealed record ExceptionLine(ResultRow Row, string? PlaceTimeZone, IReadOnlyList<DeskOverride> Overrides);

/// <summary>
/// Reads results with raw SQL: the lists run to millions of rows, so pages are keyset-paged on the
/// ix_transaction_results_session_current index and downloads stream straight from a data reader.
/// </summary>
public sealed class ResultQueries([FromKeyedServices(Infrastructure.Database.Reads)] NpgsqlDataSource dataSource)
{
    private static readonly ResultStatus[] ExceptionStatuses = [ResultStatus.Warning, ResultStatus.Failed, ResultStatus.Skipped];

    private const string Joins = """
        JOIN offline_transactions t ON t.id = r.transaction_id

        """ + ResultRow.PlacedOrgJoin;

    /// <summary>
    /// The session's header (<see cref="SessionHeaders"/>) and one page of its current non-Applied results ordered by
    /// transaction id, starting after <paramref name="after"/>, in one round trip, as the exceptions page shows them:
    /// each row with the time zone of the library it is placed at and the desk's overrides from its line as received.
    /// Each status is its own ordered index range (session_id, status, transaction_id), merged and cut at
    /// <paramref name="take"/>, so a deep page costs what the first one does. Outside the caller's subtree there is no
    /// header, and no rows.
    /// </summary>
    public Task<(SessionHeader? Header, List<ExceptionLine> Lines)> HeaderAndExceptionLinesAsync(
        SessionHeaders headers, long sessionId, ExceptionFilter filter, long after, int take, CancellationToken ct)
    {
        // po is the placed org the row's columns already join; the line is only sent when it holds overrides.
        var (sql, parameters) = ExceptionStatement(sessionId, filter, after, take,
            """, po.time_zone, CASE WHEN strpos(t.payload, '"overrides"') > 0 THEN t.payload END""");
        var rows = new NpgsqlBatchCommand(sql);
        rows.Parameters.AddRange(parameters);
        return headers.ReadWithAsync(sessionId, rows, reader => ReadExceptionLinesAsync(reader, take, ct), ct);
    }

    private static async Task<List<ExceptionLine>> ReadExceptionLinesAsync(NpgsqlDataReader reader, int take, CancellationToken ct)
    {
        var lines = new List<ExceptionLine>(take);
        var zone = reader.FieldCount - 2;
        while (await reader.ReadAsync(ct))
        {
            lines.Add(new ExceptionLine(ResultRow.Read(reader), ResultRow.Text(reader, zone), DeskOverrides.Parse(ResultRow.Text(reader, zone + 1))));
        }
        return lines;
    }

    /// <summary>Every matching exception in transaction order, read one row at a time.</summary>
    public async IAsyncEnumerable<ResultRow> ExceptionsAsync(long sessionId, ExceptionFilter filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var (sql, parameters) = ExceptionStatement(sessionId, filter, after: 0, take: null);
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return ResultRow.Read(reader);
        }
    }

    /// <summary>Every transaction of a session with its current result (none yet while unprocessed), in transaction order.</summary>
    public async IAsyncEnumerable<ResultRow> AllAsync(long sessionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // One ordered pass streamed to the client: parallel workers only add a merge step in front of the reader.
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var serial = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", conn, tx))
        {
            await serial.ExecuteNonQueryAsync(ct);
        }
        await using var cmd = new NpgsqlCommand($"""
            SELECT {ResultRow.SelectList}
            FROM offline_transactions t
            LEFT JOIN transaction_results r ON r.transaction_id = t.id AND r.is_current
            {ResultRow.PlacedOrgJoin}
            WHERE t.session_id = @session
            ORDER BY t.id
            """, conn, tx);
        cmd.Parameters.AddWithValue("session", sessionId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return ResultRow.Read(reader);
        }
    }

    private static (string Sql, NpgsqlParameter[] Parameters) ExceptionStatement(long sessionId, ExceptionFilter filter, long after, int? take, string more = "")
    {
        var statuses = filter.Status is { } only
            ? ExceptionStatuses.Where(s => s == only).ToArray()
            : ExceptionStatuses;
        // The page size is a number the code chose, written into the statement: with the limit known, PostgreSQL keeps
        // one generic plan for the prepared statement instead of planning every page again.
        var limit = take is { } n ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" LIMIT {n}") : "";
        // The transaction is joined inside a branch only when a filter needs its columns.
        var join = filter.Type is null && filter.Workstation is null ? "" : "\n JOIN offline_transactions t ON t.id = r.transaction_id";
        var branches = new StringBuilder();
        foreach (var status in statuses)
        {
            if (branches.Length > 0)
            {
                branches.Append("\nUNION ALL\n");
            }
            // Literal status per branch: each branch is an equality range of the partial index, already in id order. It
            // reads its rows there and then, one heap page for several rows; reading the ids alone and each row again
            // through the current-result index took four pages a row (471 pages a page of 50 against 295, docs/adr-018).
            branches.Append($"""
                (SELECT r.* FROM transaction_results r{join}
                 WHERE r.session_id = @session AND r.is_current AND r.status = '{SnakeCaseEnum.ToSnake(status)}'
                   AND r.transaction_id > @after{Conditions(filter)}
                 ORDER BY r.transaction_id{limit})
                """);
        }
        if (statuses.Length == 0)
        {
            branches.Append("(SELECT r.* FROM transaction_results r WHERE false)");
        }
        var sql = $"""
            SELECT {ResultRow.SelectList}{more}
            FROM ({branches}) r
            {Joins}
            ORDER BY r.transaction_id{limit}
            """;
        var parameters = new List<NpgsqlParameter> { new("session", sessionId), new("after", after) };
        if (!string.IsNullOrEmpty(filter.Code))
        {
            parameters.Add(new("code", filter.Code));
        }
        if (!string.IsNullOrEmpty(filter.Type))
        {
            parameters.Add(new("type", filter.Type));
        }
        if (!string.IsNullOrEmpty(filter.Workstation))
        {
            parameters.Add(new("workstation", filter.Workstation));
        }
        if (filter.Resolved is { } resolved)
        {
            parameters.Add(new("resolved", resolved));
        }
        return (sql, [.. parameters]);
    }

    private static string Conditions(ExceptionFilter f)
    {
        var sql = new StringBuilder();
        if (!string.IsNullOrEmpty(f.Code))
        {
            sql.Append(" AND @code = ANY(r.codes)");
        }
        if (!string.IsNullOrEmpty(f.Type))
        {
            sql.Append(" AND t.type = @type");
        }
        if (!string.IsNullOrEmpty(f.Workstation))
        {
            sql.Append(" AND t.workstation = @workstation");
        }
        if (f.Resolved is not null)
        {
            sql.Append(" AND r.resolved = @resolved");
        }
        return sql.ToString();
    }
}
