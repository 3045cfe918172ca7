using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>
/// items: copies by barcode. A new item keeps the status_changed_at given, else none (unknown, so no newer activity);
/// a status that changes on re-import sets it (given, else now) as an outside change.
/// </summary>
public sealed class ItemsImport : ImportKind<ItemsImport.Row>
{
    public sealed record Row(string? Barcode, string? RecordId, string? OwningOrg, string? Location, string? CircModifier,
        string? Status, string? Price, string? AlertMessage, string? Holdable, string? StatusChangedAt);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Barcode).Required("barcode").Code("barcode");
            RuleFor(r => r.RecordId).Required("record_id").Id("record_id");
            RuleFor(r => r.OwningOrg).Required("owning_org");
            RuleFor(r => r.Location).Code("location", 200);
            RuleFor(r => r.CircModifier).Code("circ_modifier");
            RuleFor(r => r.Status).Must(Values.IsItemStatus)
                .WithMessage((_, v) => $"status {Values.Quote(v)} is not one of {Values.ItemStatuses}");
            RuleFor(r => r.Price).Money("price");
            RuleFor(r => r.AlertMessage).Code("alert_message", 1000);
            RuleFor(r => r.Holdable).Bool("holdable");
            RuleFor(r => r.StatusChangedAt).Time("status_changed_at");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "items";

    public override IReadOnlyList<string> FilledTables => ["items"];

    public override IReadOnlyList<string> Columns { get; } =
        ["barcode", "record_id", "owning_org", "location", "circ_modifier", "status", "price", "alert_message", "holdable", "status_changed_at"];

    public override string StageColumns =>
        "barcode text, record_id bigint, owning_org text, location text, circ_modifier text, status text, price numeric, " +
        $"alert_message text, holdable bool, {StageWriter.TimeColumns("changed")}";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.barcode", "barcode")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Barcode);
        w.Long(Values.Long(r.RecordId));
        w.Text(r.OwningOrg);
        w.Text(r.Location);
        w.Text(r.CircModifier);
        Values.TryItemStatus(r.Status ?? "available", out var status);
        w.Text(status);
        w.Money(Values.Money(r.Price));
        w.Text(r.AlertMessage);
        w.Bool(Values.Bool(r.Holdable) ?? true);
        w.Time(r.StatusChangedAt);
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        ImportBoundary.Org("owning_org", "owning_org"),
        ImportBoundary.Owned("item", "s.barcode", "JOIN items i ON i.barcode = s.barcode JOIN org_units o ON o.id = i.owning_org_id"));

    public override IEnumerable<string> Checks =>
    [
        """
        SELECT s.row_no, format('record_id %s is not a known record', s.record_id) FROM import_stage s
        WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = s.record_id)
        """,
    ];

    // Items already held are updated, then the rest inserted, in two plain statements. An upsert (ON CONFLICT) probes
    // and confirms every row it inserts, which a million new items paid for; only imports write items' barcodes, and
    // they take turns (ImportService), so no other writer can insert one in between.
    public override async Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct)
    {
        var changed = StageWriter.TimeSql("changed", "o.time_zone");
        var updated = await db.ExecuteAsync($"""
            UPDATE items i SET record_id = s.record_id, owning_org_id = o.id, location = s.location, circ_modifier = s.circ_modifier,
                price = s.price, alert_message = s.alert_message, holdable = s.holdable, status = s.status,
                status_changed_at = CASE WHEN i.status <> s.status THEN COALESCE({changed}, now()) ELSE i.status_changed_at END,
                status_change_session_id = CASE WHEN i.status <> s.status THEN NULL ELSE i.status_change_session_id END
            FROM import_stage s JOIN org_units o ON o.short_name = s.owning_org
            WHERE i.barcode = s.barcode
            """, ct);
        var inserted = await db.ExecuteAsync($"""
            INSERT INTO items (barcode, record_id, owning_org_id, location, circ_modifier, status, price, alert_message, holdable,
                status_changed_at, status_change_session_id)
            SELECT s.barcode, s.record_id, o.id, s.location, s.circ_modifier, s.status, s.price, s.alert_message, s.holdable, {changed}, NULL
            FROM import_stage s JOIN org_units o ON o.short_name = s.owning_org
            WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.barcode = s.barcode)
            """, ct);
        return (inserted, updated);
    }
}
