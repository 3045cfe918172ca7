using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Data;

/// <summary>
/// The names and statements of a session's running counts (session_counts, docs/adr-016). Intake adds a file and its
/// stored lines; each replay batch adds its results by status and takes away the results it replaces; each change
/// commits with what it counts. A session has no row for what it has none of.
/// </summary>
public static class SessionCounts
{
    public const string Transactions = "transactions";
    public const string Files = "files";

    /// <summary>The name of the count of current results of a status, as the status is stored ("failed").</summary>
    public static string Of(ResultStatus status) => SnakeCaseEnum.ToSnake(status);

    /// <summary>Adds amounts ($3) to the named counts ($2) of a session ($1), making the rows it does not have yet.</summary>
    public const string AddSql = """
        INSERT INTO session_counts (session_id, name, count)
        SELECT $1, c.name, c.n FROM unnest($2::text[], $3::bigint[]) AS c(name, n)
        ON CONFLICT (session_id, name) DO UPDATE SET count = session_counts.count + excluded.count
        """;

    /// <summary>
    /// Counts a session ($1, whose stored lines number $2) afresh, for when the running counts cannot be trusted (a node
    /// of an earlier version wrote to it). Run it after <see cref="ClearSql"/> in one database transaction that holds the
    /// session row against uploads.
    /// </summary>
    public const string RecountSql = $"""
        INSERT INTO session_counts (session_id, name, count)
        SELECT $1, '{Transactions}', $2
        UNION ALL SELECT $1, '{Files}', count(*) FROM uploaded_files WHERE session_id = $1
        UNION ALL SELECT $1, status, count(*) FROM transaction_results WHERE session_id = $1 AND is_current GROUP BY status
        """;

    public const string ClearSql = "DELETE FROM session_counts WHERE session_id = $1";

    /// <summary>The names of the counts of current results, one per status, as SQL literals ('applied', ...).</summary>
    public static readonly string StatusNamesSql = string.Join(", ", Enum.GetValues<ResultStatus>().Select(status => $"'{Of(status)}'"));

    /// <summary>
    /// The lines of session $1 without a current result, from its counts (never below none: counts an older node left
    /// behind can lag until a run recounts them), as an expression.
    /// </summary>
    public static readonly string UnprocessedSql = $"""
        greatest(0, (SELECT coalesce(sum(count) FILTER (WHERE name = '{Transactions}'), 0)
                          - coalesce(sum(count) FILTER (WHERE name IN ({StatusNamesSql})), 0)
                     FROM session_counts WHERE session_id = $1))
        """;

    /// <summary>
    /// How many transactions of session $1 a retry would take up again (ReplayOrder.Pending, for lines a run has
    /// processed), as an expression: the failed ones, from the running counts, and the skipped ones forced, which are
    /// few and indexed. Every page of a session asks, so it reads no more than that: each forced line's current result
    /// is looked up by itself, which no plan turns into a scan of the session's results.
    /// </summary>
    public static readonly string RetryableSql = $"""
        (COALESCE((SELECT count FROM session_counts
                   WHERE session_id = $1 AND name = '{Of(ResultStatus.Failed)}'), 0)
              + (SELECT count(*) FROM offline_transactions t
                 WHERE t.session_id = $1 AND t.forced
                   AND (SELECT r.status FROM transaction_results r WHERE r.transaction_id = t.id AND r.is_current) = '{Of(ResultStatus.Skipped)}'))
        """;
}
