using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>billings: open bills of a patron (named by a card), keyed by patron, billing type and time billed.</summary>
public sealed class BillingsImport : ImportKind<BillingsImport.Row>
{
    public sealed record Row(string? PatronCard, string? Amount, string? BillingType, string? BilledAt);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.PatronCard).Required("patron_card");
            RuleFor(r => r.Amount).Required("amount").Money("amount", positive: true);
            RuleFor(r => r.BillingType).Required("billing_type").Code("billing_type", 100);
            RuleFor(r => r.BilledAt).Required("billed_at").Time("billed_at");
        }
    }

    private static readonly RowValidator Rules = new();

    private static readonly string BilledAt = StageWriter.TimeSql("billed", "o.time_zone");

    public override string Name => "billings";

    public override IReadOnlyList<string> FilledTables => ["billings"];

    public override IReadOnlyList<string> Columns { get; } = ["patron_card", "amount", "billing_type", "billed_at"];

    public override string StageColumns => $"card text, amount numeric, billing_type text, {StageWriter.TimeColumns("billed")}";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } =
        [("concat_ws(' ', s.card, s.billing_type, COALESCE(s.billed_at::text, s.billed_local::text))", "bill")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.PatronCard);
        w.Money(Values.Money(r.Amount));
        w.Text(r.BillingType);
        w.Time(r.BilledAt);
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(ImportBoundary.Patron("card", "patron_card"));

    public override IEnumerable<string> Checks => [];

    // Bills have no natural key in the schema: an imported bill (not from a session, not voided) with the same
    // patron, type and time is the same bill and gets the new amount.
    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync($"""
        WITH src AS (
            SELECT c.patron_id, s.amount, s.billing_type, {BilledAt} AS billed_at
            FROM import_stage s JOIN cards c ON c.barcode = s.card JOIN patrons p ON p.id = c.patron_id
            JOIN org_units o ON o.id = p.home_org_id),
        u AS (UPDATE billings b SET amount = src.amount FROM src
              WHERE b.patron_id = src.patron_id AND b.billing_type = src.billing_type AND b.billed_at = src.billed_at
                AND b.origin_session_id IS NULL AND NOT b.voided
              RETURNING b.id),
        i AS (INSERT INTO billings (patron_id, amount, billing_type, billed_at, voided, amount_paid)
              SELECT src.patron_id, src.amount, src.billing_type, src.billed_at, false, 0 FROM src
              WHERE NOT EXISTS (SELECT 1 FROM billings b WHERE b.patron_id = src.patron_id AND b.billing_type = src.billing_type
                                AND b.billed_at = src.billed_at AND b.origin_session_id IS NULL AND NOT b.voided)
              RETURNING id)
        SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM u)
        """, ct);
}
