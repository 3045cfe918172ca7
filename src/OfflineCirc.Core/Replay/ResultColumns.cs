using OfflineCirc.Core.Data;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// The columns of transaction_results a run writes, named once: the replay's COPY is built from them, and
/// <see cref="Write"/> fills one row in the same order. The reports read results by these names.
/// </summary>
public static class ResultColumns
{
    public static readonly CopyTarget Copy = new("transaction_results",
        "transaction_id", "session_id", "run", "is_current", "status", "codes", "message", "patron_id", "item_id", "circulation_id",
        "hold_id", "transit_id", "billed_amount", "due_time", "checkin_time", "follow_ups", "org_id", "workstation_id",
        "processed_at", "processed_by", "resolved");

    /// <summary>Every column of transaction_results: what a run writes, plus what a reviewer adds later.</summary>
    public static readonly ColumnMap Map = new("transaction_results", [.. Copy.Columns, "resolution_note", "resolved_by", "resolved_at"]);

    internal static void Write(CopyRowWriter w, TxRow tx, Outcome o, RunContext ctx, DateTimeOffset processedAt)
    {
        w.Long(tx.Id);
        w.Long(ctx.SessionId);
        w.Int(ctx.Run);
        w.Bool(true);
        w.Text(SnakeCaseEnum.ToSnake(o.Status));
        w.TextArray(o.Codes);
        w.Text(o.Message);
        w.Long(o.PatronId);
        w.Long(o.ItemId);
        w.Long(o.CirculationId);
        w.Long(o.HoldId);
        w.Long(o.TransitId);
        w.Numeric(o.BilledAmount);
        w.Timestamp(o.DueTime);
        w.Timestamp(o.CheckinTime);
        w.TextArray(o.FollowUps);
        // Placement is a function of the transaction and the run, so this is where the rule placed it.
        var (orgId, workstationId) = ctx.Place(tx);
        w.Int(orgId);
        w.Int(workstationId);
        w.Timestamp(processedAt);
        w.Text(ctx.ProcessedBy);
        w.Bool(false);
    }
}
