using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>cards: extra cards of a patron, named by a card the patron already has; lost cards are inactive.</summary>
public sealed class CardsImport : ImportKind<CardsImport.Row>
{
    public sealed record Row(string? Barcode, string? PatronCard, string? Active);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Barcode).Required("barcode").Code("barcode");
            RuleFor(r => r.PatronCard).Required("patron_card_barcode");
            RuleFor(r => r.Active).Bool("active");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "cards";

    public override IReadOnlyList<string> FilledTables => ["cards"];

    public override IReadOnlyList<string> Columns { get; } = ["barcode", "patron_card_barcode", "active"];

    public override string StageColumns => "barcode text, patron_card text, active bool";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.barcode", "barcode")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Barcode);
        w.Text(r.PatronCard);
        w.Bool(Values.Bool(r.Active) ?? true);
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        ImportBoundary.Patron("patron_card", "patron_card_barcode"),
        ImportBoundary.CardKey("barcode", "card"));

    public override IEnumerable<string> Checks =>
    [
        """
        SELECT s.row_no, format('card %L is the primary card of another patron', s.barcode) FROM import_stage s
        JOIN cards c ON c.barcode = s.barcode AND c."primary" JOIN cards owner ON owner.barcode = s.patron_card
        WHERE owner.patron_id <> c.patron_id
        """,
    ];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync(ImportSql.Counted("""
        INSERT INTO cards (barcode, patron_id, active, "primary")
        SELECT s.barcode, owner.patron_id, s.active, false FROM import_stage s JOIN cards owner ON owner.barcode = s.patron_card
        ON CONFLICT (barcode) DO UPDATE SET patron_id = excluded.patron_id, active = excluded.active
        """), ct);
}
