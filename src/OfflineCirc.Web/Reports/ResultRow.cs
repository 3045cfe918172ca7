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

    /// <summary>Joins po, the org of <see cref="PlacedOrgId"/>.</summary>
    public const string PlacedOrgJoin = "LEFT JOIN org_units po ON po.id = " + PlacedOrgId;

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

    public static ResultRow Read(NpgsqlDataReader r) => new(
        Row.Get<long>(r, "id"), Row.Get<long>(r, "session_id"), Row.Get<string>(r, "key"), Row.Get<string>(r, "workstation"),
        Row.Text(r, "placed_org"), Row.Get<string>(r, "type"),
        Row.Get<DateTimeOffset>(r, "recorded_at"), Row.Get<DateTimeOffset>(r, "effective_at"),
        Row.Text(r, "status") is { } status ? SnakeCaseEnum.Parse<ResultStatus>(status) : null,
        Row.Ref<string[]>(r, "codes") ?? [], Row.Text(r, "message"),
        Row.Text(r, "patron_barcode"), Row.Text(r, "item_barcode"), Row.Text(r, "noncat_type"), Row.Value<int>(r, "count"),
        Row.Value<DateTimeOffset>(r, "checkout_time"),
        Row.Value<DateTimeOffset>(r, "due_time"), Row.Value<DateTimeOffset>(r, "checkin_time"), Row.Value<decimal>(r, "billed_amount"),
        Row.Ref<string[]>(r, "follow_ups") ?? [], Row.Value<int>(r, "run"), Row.Value<DateTimeOffset>(r, "processed_at"),
        Row.Get<bool>(r, "resolved"), Row.Text(r, "resolution_note"), Row.Get<bool>(r, "edited"), Row.Get<bool>(r, "forced"),
        Row.Text(r, "due_date"));

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
