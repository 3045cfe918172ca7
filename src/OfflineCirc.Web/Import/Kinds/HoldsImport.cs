using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>holds: pending holds on an item or a record, keyed by patron and target.</summary>
public sealed class HoldsImport : ImportKind<HoldsImport.Row>
{
    public sealed record Row(string? PatronCard, string? TargetItem, string? TargetRecord, string? PickupOrg, string? RequestTime, string? Frozen);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.PatronCard).Required("patron_card");
            RuleFor(r => r.TargetItem)
                .Must((r, v) => (v is null) != (r.TargetRecord is null))
                .WithMessage("give either target_item_barcode or target_record_id, not both or neither");
            RuleFor(r => r.TargetRecord).Id("target_record_id");
            RuleFor(r => r.PickupOrg).Required("pickup_org");
            RuleFor(r => r.RequestTime).Required("request_time").Time("request_time");
            RuleFor(r => r.Frozen).Bool("frozen");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "holds";

    public override IReadOnlyList<string> FilledTables => ["holds"];

    public override IReadOnlyList<string> Columns { get; } =
        ["patron_card", "target_item_barcode", "target_record_id", "pickup_org", "request_time", "frozen"];

    public override string StageColumns =>
        $"card text, item text, record_id bigint, pickup text, {StageWriter.TimeColumns("request")}, frozen bool";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } =
        [("concat_ws(' on ', s.card, COALESCE(s.item, 'record ' || s.record_id))", "hold of")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.PatronCard);
        w.Text(r.TargetItem);
        w.Long(Values.Long(r.TargetRecord));
        w.Text(r.PickupOrg);
        w.Time(r.RequestTime);
        w.Bool(Values.Bool(r.Frozen) ?? false);
    }

    // Records are the shared catalogue, so a hold may target any record; items, patrons and shelves are a library's own.
    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        ImportBoundary.Patron("card", "patron_card"),
        ImportBoundary.Item("item", "target_item_barcode"),
        ImportBoundary.Org("pickup", "pickup_org"));

    public override IEnumerable<string> Checks =>
    [
        """
        SELECT s.row_no, format('target_record_id %s is not a known record', s.record_id) FROM import_stage s
        WHERE s.record_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records r WHERE r.id = s.record_id)
        """,
    ];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync($"""
        WITH src AS (
            SELECT c.patron_id, i.id AS item_id, s.record_id, o.id AS pickup_id,
                {StageWriter.TimeSql("request", "o.time_zone")} AS request_time, s.frozen
            FROM import_stage s JOIN cards c ON c.barcode = s.card LEFT JOIN items i ON i.barcode = s.item
            JOIN org_units o ON o.short_name = s.pickup),
        u AS (UPDATE holds h SET pickup_org_id = src.pickup_id, request_time = src.request_time, frozen = src.frozen FROM src
              WHERE h.status = 'pending' AND h.patron_id = src.patron_id
                AND h.target_item_id IS NOT DISTINCT FROM src.item_id AND h.target_record_id IS NOT DISTINCT FROM src.record_id
              RETURNING h.id),
        i AS (INSERT INTO holds (patron_id, target_item_id, target_record_id, pickup_org_id, request_time, status, frozen)
              SELECT src.patron_id, src.item_id, src.record_id, src.pickup_id, src.request_time, 'pending', src.frozen FROM src
              WHERE NOT EXISTS (SELECT 1 FROM holds h WHERE h.status = 'pending' AND h.patron_id = src.patron_id
                  AND h.target_item_id IS NOT DISTINCT FROM src.item_id AND h.target_record_id IS NOT DISTINCT FROM src.record_id)
              RETURNING id)
        SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM u)
        """, ct);
}
