using Npgsql;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// Stores a batch's effects and results inside its database transaction: changed rows by one UPDATE ... FROM unnest
/// per table, new rows by binary COPY (the per-row INSERTs EF would issue are what makes replays slow).
/// </summary>
internal static class BatchWriter
{
    /// <summary>
    /// Applies the batch's rules in replay order while their results stream to PostgreSQL, then stores the batch's
    /// effects. On two cores the database stores each block of results while the rules produce the next, instead of
    /// waiting for them all (docs/adr-018, finding 32). A result is final when its rule returns: no later rule of the
    /// batch changes it.
    /// </summary>
    public static async Task ApplyAndWriteAsync(NpgsqlConnection conn, List<TxRow> batch, ReplayState s, RunContext ctx,
        DateTimeOffset processedAt, Func<TxRow, Outcome> apply, Action applied, CancellationToken ct)
    {
        // The session's row before any result: holding it until the batch commits is what keeps a result's line from
        // being deleted under it, since deleting lines takes their sessions' rows first (migration
        // ReplayWritesOnlyResults) and the results' key is checked per statement without a lock. Taking it before the
        // retried lines' results, too, locks in the same order as a deletion does, so the two cannot deadlock. The
        // lines themselves are not written: the results say which run processed them (ReplayOrder.Pending).
        await ExecAsync(conn, "UPDATE sessions SET progress_done = progress_done + $2 WHERE id = $1", ct, ctx.SessionId, batch.Count);
        var counts = new ResultCounts();
        await ApplyAsync(conn, batch, s, ctx, processedAt, apply, counts, ct);
        applied();
        await WriteEffectsAsync(conn, s, ct);
        await counts.WriteAsync(conn, ctx, ct);
        await ExecAsync(conn, "UPDATE session_runs SET done = done + $3 WHERE session_id = $1 AND run = $2", ct, ctx.SessionId, ctx.Run, batch.Count);
    }

    /// <summary>
    /// Applies the batch's rules in replay order while their results stream to PostgreSQL, and counts the results
    /// written and those they replace. The effects stay in <paramref name="s"/>.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlConnection conn, List<TxRow> batch, ReplayState s, RunContext ctx,
        DateTimeOffset processedAt, Func<TxRow, Outcome> apply, ResultCounts counts, CancellationToken ct)
    {
        // Lines processed by an earlier run stop having a current result before this run's are written.
        var retried = batch.Where(t => t.HasCurrentResult).Select(t => t.Id).ToArray();
        if (retried.Length > 0)
        {
            await BatchLoader.ReadAsync(conn, ReplaceSql, [retried], r => counts.Add(r.GetString(0), -1), ct);
        }
        await BinaryCopy.RunAsync(conn, ResultColumns.Copy.Command, async w =>
        {
            foreach (var t in batch)
            {
                var outcome = apply(t);
                counts.Add(SessionCounts.Of(outcome.Status), 1);
                w.StartRow(ResultColumns.Copy.Count);
                ResultColumns.Write(w, t, outcome, ctx, processedAt);
                await w.EndRowAsync(ct);
            }
            return true;
        }, ct);
        counts.Processed += batch.Count;
    }

    /// <summary>Stores the changed and new rows of <paramref name="s"/>.</summary>
    public static async Task WriteEffectsAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        await WriteItemSideAsync(conn, s, ct);
        await WriteLoanSideAsync(conn, s, ct);
    }

    /// <summary>
    /// The items' new statuses, the holds' changes and the new in-house uses: rows that name only what the run's items
    /// lock and the catalogue's libraries and desks. A run writes these on its own connection, and may write the rest
    /// (<see cref="WriteLoanSideAsync"/>) on another at the same time (docs/adr-026).
    /// </summary>
    public static async Task WriteItemSideAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        await UpdateItemsAsync(conn, s, ct);
        await UpdateHoldsAsync(conn, s, ct);
        await BatchInserts.InsertInHouseUsesAsync(conn, s, ct);
    }

    /// <summary>Loans, transits and billings changed and made, and the new patrons and what names them.</summary>
    public static async Task WriteLoanSideAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        // Closing rows first, so the one-open-loan and one-open-transit indexes never see two at once.
        await UpdateCirculationsAsync(conn, s, ct);
        await UpdateTransitsAsync(conn, s, ct);
        await UpdateBillingsAsync(conn, s, ct);
        await BatchInserts.InsertPeopleAndLoansAsync(conn, s, ct);
    }

    /// <summary>The current results of retried lines ($1) stop being current; their statuses come back to be counted out.</summary>
    private const string ReplaceSql = """
        UPDATE transaction_results SET is_current = false WHERE transaction_id = ANY($1) AND is_current RETURNING status
        """;

    private static Task UpdateItemsAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        var rows = s.Items.Values.Where(i => i.Dirty).ToArray();
        return rows.Length == 0 ? Task.CompletedTask : ExecAsync(conn, """
            UPDATE items i SET status = u.status, status_changed_at = u.changed_at, status_change_session_id = u.session_id
            FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[]) AS u(id, status, changed_at, session_id)
            WHERE i.id = u.id
            """, ct,
            rows.Select(i => i.Id).ToArray(),
            rows.Select(i => SnakeCaseEnum.ToSnake(i.Status)).ToArray(),
            rows.Select(i => Utc(i.StatusChangedAt)).ToArray(),
            rows.Select(i => i.StatusChangeSessionId).ToArray());
    }

    private static Task UpdateCirculationsAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        var rows = s.Circulations.Where(c => c.Dirty && !c.IsNew).Distinct().ToArray();
        return rows.Length == 0 ? Task.CompletedTask : ExecAsync(conn, """
            UPDATE circulations c SET due_time = u.due_time, renewal_count = u.renewal_count, checkin_time = u.checkin_time,
                   checkin_org_id = u.checkin_org_id, checkin_workstation_id = u.checkin_ws, close_session_id = u.close_session_id,
                   close_transaction_id = u.close_tx
            FROM unnest($1::bigint[], $2::timestamptz[], $3::int[], $4::timestamptz[], $5::int[], $6::int[], $7::bigint[], $8::bigint[])
                 AS u(id, due_time, renewal_count, checkin_time, checkin_org_id, checkin_ws, close_session_id, close_tx)
            WHERE c.id = u.id
            """, ct,
            rows.Select(c => c.Id).ToArray(),
            rows.Select(c => Utc(c.DueTime)).ToArray(),
            rows.Select(c => c.RenewalCount).ToArray(),
            rows.Select(c => Utc(c.CheckinTime)).ToArray(),
            rows.Select(c => c.CheckinOrgId).ToArray(),
            rows.Select(c => c.CheckinWorkstationId).ToArray(),
            rows.Select(c => c.CloseSessionId).ToArray(),
            rows.Select(c => c.CloseTransactionId).ToArray());
    }

    private static Task UpdateHoldsAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        var rows = s.Holds.Where(h => h.Dirty).ToArray();
        return rows.Length == 0 ? Task.CompletedTask : ExecAsync(conn, """
            UPDATE holds h SET status = u.status, capture_time = u.capture_time, shelf_expiry_time = u.shelf_expiry,
                   captured_item_id = u.captured_item, fulfilled_time = u.fulfilled_time
            FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::timestamptz[])
                 AS u(id, status, capture_time, shelf_expiry, captured_item, fulfilled_time)
            WHERE h.id = u.id
            """, ct,
            rows.Select(h => h.Id).ToArray(),
            rows.Select(h => SnakeCaseEnum.ToSnake(h.Status)).ToArray(),
            rows.Select(h => Utc(h.CaptureTime)).ToArray(),
            rows.Select(h => Utc(h.ShelfExpiryTime)).ToArray(),
            rows.Select(h => h.CapturedItemId).ToArray(),
            rows.Select(h => Utc(h.FulfilledTime)).ToArray());
    }

    private static Task UpdateTransitsAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        var rows = s.Transits.Where(t => t.Dirty && !t.IsNew).Distinct().ToArray();
        return rows.Length == 0 ? Task.CompletedTask : ExecAsync(conn, """
            UPDATE transits t SET received_time = u.received_time
            FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, received_time)
            WHERE t.id = u.id
            """, ct, rows.Select(t => t.Id).ToArray(), rows.Select(t => Utc(t.ReceivedTime)).ToArray());
    }

    private static Task UpdateBillingsAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        var rows = s.Billings.Where(b => b.Dirty && !b.IsNew).Distinct().ToArray();
        return rows.Length == 0 ? Task.CompletedTask : ExecAsync(conn, """
            UPDATE billings b SET voided = u.voided, voided_at = u.voided_at, amount_paid = u.amount_paid
            FROM unnest($1::bigint[], $2::boolean[], $3::timestamptz[], $4::numeric[]) AS u(id, voided, voided_at, amount_paid)
            WHERE b.id = u.id
            """, ct,
            rows.Select(b => b.Id).ToArray(),
            rows.Select(b => b.Voided).ToArray(),
            rows.Select(b => Utc(b.VoidedAt)).ToArray(),
            rows.Select(b => b.AmountPaid).ToArray());
    }

    public static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        foreach (var a in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        await command.ExecuteNonQueryAsync(ct);
    }

    public static DateTimeOffset Utc(DateTimeOffset t) => t.ToUniversalTime();

    public static DateTimeOffset? Utc(DateTimeOffset? t) => t?.ToUniversalTime();
}

/// <summary>
/// What a run's results change in the session's running counts (docs/adr-016): its results by status, less the
/// results they replaced, and how many lines it processed.
/// </summary>
internal sealed class ResultCounts
{
    private readonly Dictionary<string, long> _counts = [];

    public int Processed { get; set; }

    public void Add(string name, long n) => _counts[name] = _counts.GetValueOrDefault(name) + n;

    /// <summary>Adds the counts to the session's.</summary>
    public async Task WriteAsync(NpgsqlConnection conn, RunContext ctx, CancellationToken ct)
    {
        var counts = _counts.Where(c => c.Value != 0).ToArray();
        if (counts.Length > 0)
        {
            await BatchWriter.ExecAsync(conn, SessionCounts.AddSql, ct, ctx.SessionId, counts.Select(c => c.Key).ToArray(), counts.Select(c => c.Value).ToArray());
        }
    }
}
