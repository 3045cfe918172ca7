using OfflineCirc.Core.Formats;

namespace OfflineCirc.Core.Data;

/// <summary>
/// The columns of offline_transactions that one uploaded line fills, named once with their types. Intake's direct
/// COPY, its staging table, the staging COPY and the INSERT from staging are all built from this list, and
/// <see cref="WriteLine"/> writes a line's values in the same order.
/// </summary>
public static class TransactionColumns
{
    private static readonly (string Name, string Type)[] Line =
    [
        ("key", "text COLLATE \"C\""), ("key_digest", "uuid"), ("type", "text"), ("workstation", "text"), ("org", "text"),
        ("recorded_at", "timestamptz"), ("effective_at", "timestamptz"), ("delta_seconds", "int"), ("patron_barcode", "text"),
        ("item_barcode", "text"), ("noncat_type", "text"), ("noncat_count", "int"), ("due_date", "text"),
        ("checkout_time", "timestamptz"), ("backdate", "timestamptz"), ("use_time", "timestamptz"), ("count", "int"),
        ("amount", "numeric(12,2)"), ("payload", "text"), ("parsed", "jsonb"),
    ];

    private static readonly string[] Stored = ["session_id", "file_id", "line_number", .. Line.Select(c => c.Name), "edited", "forced"];

    /// <summary>Every column of offline_transactions: what a line fills, plus its id and the run that processed it.</summary>
    public static readonly ColumnMap Map = new("offline_transactions", ["id", .. Stored]);

    /// <summary>The quick path's COPY straight into offline_transactions.</summary>
    public static readonly CopyTarget Intake = new("offline_transactions", Stored);

    /// <summary>The careful path's staging table: every line, stored or rejected.</summary>
    public static readonly string StagingDdl =
        "CREATE TEMP TABLE intake_lines (rejected boolean NOT NULL, line_number int NOT NULL, " +
        string.Join(", ", Line.Select(c => $"{c.Name} {c.Type}")) + ", raw_text text, reason text) ON COMMIT DROP";

    public static readonly CopyTarget Staging = new("intake_lines", ["rejected", "line_number", .. Line.Select(c => c.Name), "raw_text", "reason"]);

    // Keys another upload holds, and repeats of a key later in this file, meet ON CONFLICT and are left out: the
    // lowest line of each key is the one stored.
    public static readonly string InsertFromStaging =
        $"INSERT INTO offline_transactions ({string.Join(", ", Stored)})\n" +
        $"SELECT @session, @file, s.line_number, {string.Join(", ", Line.Select(c => "s." + c.Name))}, false, false\n" +
        "FROM intake_lines s WHERE NOT s.rejected ORDER BY s.line_number ON CONFLICT (key_digest) DO NOTHING";

    /// <summary>How many values <see cref="WriteLine"/> writes (a rejected staging row writes as many nulls).</summary>
    public static int LineCount => Line.Length;

    /// <summary>A line's values, in the order of the list above.</summary>
    public static void WriteLine(CopyRowWriter rows, ParsedTransaction t)
    {
        rows.Text(t.Key);
        rows.Uuid(t.KeyDigest);
        rows.Text(t.Type);
        rows.Text(t.Workstation);
        rows.Text(t.Org);
        rows.Timestamp(t.RecordedAt);
        rows.Timestamp(t.EffectiveAt);
        rows.Int(t.DeltaSeconds);
        rows.Text(t.PatronBarcode);
        rows.Text(t.ItemBarcode);
        rows.Text(t.NoncatType);
        rows.Int(t.NoncatCount);
        rows.Text(t.DueDate);
        rows.Timestamp(t.CheckoutTime);
        rows.Timestamp(t.Backdate);
        rows.Timestamp(t.UseTime);
        rows.Int(t.Count);
        rows.Numeric(t.Amount);
        rows.Text(t.Payload);
        rows.Jsonb(t.Parsed);
    }
}
