using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>circulations: loans open before the outage, one per item; their items become checked out.</summary>
public sealed class CirculationsImport : ImportKind<CirculationsImport.Row>
{
    public sealed record Row(string? Item, string? PatronCard, string? CheckoutTime, string? DueTime, string? CheckoutOrg, string? Renewals);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Item).Required("item_barcode");
            RuleFor(r => r.PatronCard).Required("patron_card");
            RuleFor(r => r.CheckoutTime).Required("checkout_time").Time("checkout_time");
            RuleFor(r => r.DueTime).Required("due_time").Time("due_time");
            RuleFor(r => r.CheckoutOrg).Required("checkout_org");
            RuleFor(r => r.Renewals).Int("renewals");
        }
    }

    private static readonly RowValidator Rules = new();

    private static readonly string Checkout = StageWriter.TimeSql("checkout", "o.time_zone");
    private static readonly string Due = StageWriter.TimeSql("due", "o.time_zone");

    public override string Name => "circulations";

    public override IReadOnlyList<string> FilledTables => ["circulations", "items"];

    public override IReadOnlyList<string> Columns { get; } = ["item_barcode", "patron_card", "checkout_time", "due_time", "checkout_org", "renewals"];

    public override string StageColumns =>
        $"item text, card text, {StageWriter.TimeColumns("checkout")}, {StageWriter.TimeColumns("due")}, org text, renewals int";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.item", "item_barcode")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Item);
        w.Text(r.PatronCard);
        w.Time(r.CheckoutTime);
        w.Time(r.DueTime);
        w.Text(r.CheckoutOrg);
        w.Int(Values.Int(r.Renewals) ?? 0);
    }

    // A loan changes the item, the patron and the lending desk's library: all three must be the importer's.
    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        ImportBoundary.Item("item", "item_barcode"),
        ImportBoundary.Patron("card", "patron_card"),
        ImportBoundary.Org("org", "checkout_org"),
        ImportBoundary.OpenLoan("item", "item_barcode"));

    public override IEnumerable<string> Checks =>
    [
        $"""
        SELECT s.row_no, format('due_time %s is not after checkout_time %s', {Due}, {Checkout}) FROM import_stage s
        JOIN org_units o ON o.short_name = s.org WHERE {Due} <= {Checkout}
        """,
    ];

    public override async Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct)
    {
        var counts = await db.CountsAsync(ImportSql.Counted($"""
            INSERT INTO circulations (patron_id, item_id, checkout_time, due_time, checkout_org_id, renewal_count)
            SELECT c.patron_id, i.id, {Checkout}, {Due}, o.id, s.renewals
            FROM import_stage s JOIN items i ON i.barcode = s.item JOIN cards c ON c.barcode = s.card JOIN org_units o ON o.short_name = s.org
            ON CONFLICT (item_id) WHERE checkin_time IS NULL DO UPDATE SET patron_id = excluded.patron_id,
                checkout_time = excluded.checkout_time, due_time = excluded.due_time, checkout_org_id = excluded.checkout_org_id,
                renewal_count = excluded.renewal_count
            """), ct);
        await db.ExecuteAsync($"""
            UPDATE items i SET status = 'checked_out', status_changed_at = {Checkout}, status_change_session_id = NULL
            FROM import_stage s JOIN org_units o ON o.short_name = s.org
            WHERE i.barcode = s.item AND i.status <> 'checked_out'
            """, ct);
        return counts;
    }
}
