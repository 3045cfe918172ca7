using System.Globalization;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

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

    /// <summary>The select list that <see cref="Read"/> maps; t = offline_transactions, r = current result, po = <see cref="PlacedOrgJoin"/>.</summary>
    public const string SelectList = """
        t.id, t.session_id, t.key, t.workstation, po.short_name, t.type, t.recorded_at, t.effective_at,
        r.status, r.codes, r.message, t.patron_barcode, t.item_barcode, t.noncat_type, coalesce(t.count, t.noncat_count),
        t.checkout_time, r.due_time, r.checkin_time, r.billed_amount, r.follow_ups, r.run, r.processed_at,
        coalesce(r.resolved, false), r.resolution_note, t.edited, t.forced, t.due_date
        """;

    public static ResultRow Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), Text(r, 4), r.GetString(5),
        r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : SnakeCaseEnum.Parse<ResultStatus>(r.GetString(8)),
        r.IsDBNull(9) ? [] : r.GetFieldValue<string[]>(9), Text(r, 10),
        Text(r, 11), Text(r, 12), Text(r, 13), Value<int>(r, 14), Value<DateTimeOffset>(r, 15),
        Value<DateTimeOffset>(r, 16), Value<DateTimeOffset>(r, 17), Value<decimal>(r, 18),
        r.IsDBNull(19) ? [] : r.GetFieldValue<string[]>(19), Value<int>(r, 20), Value<DateTimeOffset>(r, 21),
        r.GetBoolean(22), Text(r, 23), r.GetBoolean(24), r.GetBoolean(25), Text(r, 26));

    public string?[] CsvCells() =>
    [
        SessionId.ToString(CultureInfo.InvariantCulture), Key, Workstation, Org, Type,
        CsvExport.Time(RecordedAt), CsvExport.Time(EffectiveAt), Status?.ToString(), CsvExport.List(Codes), Lookup.TimeDisplay.IsoInMessage(Message),
        PatronBarcode, ItemBarcode, NoncatType, Count?.ToString(CultureInfo.InvariantCulture), CsvExport.Time(CheckoutTime),
        CsvExport.Time(DueTime), CsvExport.Time(CheckinTime), CsvExport.Number(BilledAmount),
        CsvExport.List(FollowUps), Run?.ToString(CultureInfo.InvariantCulture), CsvExport.Time(ProcessedAt),
        Status is null ? "" : CsvExport.Flag(Resolved), ResolutionNote,
    ];

    internal static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    internal static T? Value<T>(NpgsqlDataReader r, int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
}
