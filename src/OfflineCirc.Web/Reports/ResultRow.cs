using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Web.Reports;

/// <summary>One transaction with its current result: a row of the exceptions list, exceptions.csv and results.csv.</summary>
public sealed record ResultRow(
    long TransactionId, long SessionId, string Key, string Workstation, string? Org, string Type,
    DateTimeOffset RecordedAt, DateTimeOffset EffectiveAt, ResultStatus? Status, string[] Codes, string? Message,
    string? PatronBarcode, string? ItemBarcode, string? NoncatType, int? Count, DateTimeOffset? CheckoutTime,
    DateTimeOffset? DueTime, DateTimeOffset? CheckinTime, decimal? BilledAmount, string[] FollowUps, int? Run,
    DateTimeOffset? ProcessedAt, bool Resolved, string? ResolutionNote, bool Edited, bool Forced, string? CapturedDueDate)
{
    /// <summary>The columns of exceptions.csv and results.csv (docs/reports.md), in order.</summary>
    public static readonly string[] CsvHeader =
    [
        "session_id", "transaction_key", "workstation", "org", "type", "recorded_at", "effective_at", "status", "codes", "message",
        "patron_barcode", "item_barcode", "noncat_type", "count", "checkout_time", "due_date", "checkin_time", "billed_amount",
        "follow_up", "run", "processed_at", "resolved", "resolution_note",
    ];

    /// <summary>
    /// The org a transaction is placed at: where the replay placed it (its result's org), else, until a run places it,
    /// where its line says it was recorded (its workstation's org, else the org it names, else the session's).
    /// t = offline_transactions, r = its current result (may be missing). The subqueries run only for unplaced rows.
    /// </summary>
    public const string PlacedOrgId = """
        coalesce(r.org_id, (SELECT w.org_unit_id FROM workstations w WHERE w.name = t.workstation),
            (SELECT o.id FROM org_units o WHERE o.short_name = t.org), (SELECT s.org_unit_id FROM sessions s WHERE s.id = t.session_id))
        """;

    /// <summary>
    /// Joins po, the org of <see cref="PlacedOrgId"/>, row by row. A plain join on the computed key let PostgreSQL hash
    /// it, which loses the rows' order: results.csv then sorted a million rows on disk (227 MB) before sending the
    /// first. The lateral probe (its LIMIT keeps it from being flattened into that join) keeps the order it is given.
    /// </summary>
    public const string PlacedOrgJoin = "LEFT JOIN LATERAL (SELECT pl.short_name, pl.time_zone FROM org_units pl WHERE pl.id = "
        + PlacedOrgId + " LIMIT 1) po ON true";

    /// <summary>What <see cref="Read"/> maps, built from the two tables' column maps; t = offline_transactions, r = current result, po = <see cref="PlacedOrgJoin"/>.</summary>
    private static readonly Projection Row = new Projection()
        .Columns(TransactionColumns.Map, "t", "id", "session_id", "key", "workstation")
        .Expression("placed_org", "po.short_name")
        .Columns(TransactionColumns.Map, "t", "type", "recorded_at", "effective_at")
        .Columns(ResultColumns.Map, "r", "status", "codes", "message")
        .Columns(TransactionColumns.Map, "t", "patron_barcode", "item_barcode", "noncat_type")
        .Expression("count", "coalesce(t.count, t.noncat_count)")
        .Columns(TransactionColumns.Map, "t", "checkout_time")
        .Columns(ResultColumns.Map, "r", "due_time", "checkin_time", "billed_amount", "follow_ups", "run", "processed_at")
        .Expression("resolved", "coalesce(r.resolved, false)")
        .Columns(ResultColumns.Map, "r", "resolution_note")
        .Columns(TransactionColumns.Map, "t", "edited", "forced", "due_date");

    /// <summary>The select list that <see cref="Read"/> maps.</summary>
    public static string SelectList => Row.Sql;

    /// <summary>Where each entry of <see cref="Row"/> stands, looked up by its name once rather than on every row read.</summary>
    private static class At
    {
        public static readonly int Id = Row["id"], SessionId = Row["session_id"], Key = Row["key"], Workstation = Row["workstation"],
            PlacedOrg = Row["placed_org"], Type = Row["type"], RecordedAt = Row["recorded_at"], EffectiveAt = Row["effective_at"],
            Status = Row["status"], Codes = Row["codes"], Message = Row["message"], PatronBarcode = Row["patron_barcode"],
            ItemBarcode = Row["item_barcode"], NoncatType = Row["noncat_type"], Count = Row["count"], CheckoutTime = Row["checkout_time"],
            DueTime = Row["due_time"], CheckinTime = Row["checkin_time"], BilledAmount = Row["billed_amount"], FollowUps = Row["follow_ups"],
            Run = Row["run"], ProcessedAt = Row["processed_at"], Resolved = Row["resolved"], ResolutionNote = Row["resolution_note"],
            Edited = Row["edited"], Forced = Row["forced"], DueDate = Row["due_date"];
    }

    public static ResultRow Read(NpgsqlDataReader r) => new(
        r.GetInt64(At.Id), r.GetInt64(At.SessionId), r.GetString(At.Key), r.GetString(At.Workstation),
        Text(r, At.PlacedOrg), r.GetString(At.Type),
        r.GetFieldValue<DateTimeOffset>(At.RecordedAt), r.GetFieldValue<DateTimeOffset>(At.EffectiveAt),
        Text(r, At.Status) is { } status ? SnakeCaseEnum.Parse<ResultStatus>(status) : null,
        Strings(r, At.Codes), Text(r, At.Message),
        Text(r, At.PatronBarcode), Text(r, At.ItemBarcode), Text(r, At.NoncatType), Value<int>(r, At.Count),
        Value<DateTimeOffset>(r, At.CheckoutTime),
        Value<DateTimeOffset>(r, At.DueTime), Value<DateTimeOffset>(r, At.CheckinTime), Value<decimal>(r, At.BilledAmount),
        Strings(r, At.FollowUps), Value<int>(r, At.Run), Value<DateTimeOffset>(r, At.ProcessedAt),
        r.GetBoolean(At.Resolved), Text(r, At.ResolutionNote), r.GetBoolean(At.Edited), r.GetBoolean(At.Forced),
        Text(r, At.DueDate));

    private static string[] Strings(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string[]>(i);

    /// <summary>The row's cells of exceptions.csv and results.csv, in the order of <see cref="CsvHeader"/>; the caller ends the row.</summary>
    public void WriteCsv(CsvRowWriter csv)
    {
        csv.Number(SessionId);
        csv.Cell(Key);
        csv.Cell(Workstation);
        csv.Cell(Org);
        csv.Cell(Type);
        csv.Time(RecordedAt);
        csv.Time(EffectiveAt);
        csv.Cell(Status?.ToString());
        csv.List(Codes);
        csv.Cell(Lookup.TimeDisplay.IsoInMessage(Message));
        csv.Cell(PatronBarcode);
        csv.Cell(ItemBarcode);
        csv.Cell(NoncatType);
        csv.Number(Count);
        csv.Time(CheckoutTime);
        csv.Time(DueTime);
        csv.Time(CheckinTime);
        csv.Money(BilledAmount);
        csv.List(FollowUps);
        csv.Number(Run);
        csv.Time(ProcessedAt);
        if (Status is null)
        {
            csv.Cell("");
        }
        else
        {
            csv.Flag(Resolved);
        }
        csv.Cell(ResolutionNote);
    }

    internal static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    internal static T? Value<T>(NpgsqlDataReader r, int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
}
