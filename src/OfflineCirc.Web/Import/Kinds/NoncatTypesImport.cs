using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>noncat_types: non-catalogued types (e.g. paperback), keyed by owning org unit and name.</summary>
public sealed class NoncatTypesImport : ImportKind<NoncatTypesImport.Row>
{
    public sealed record Row(string? Name, string? Org, string? LoanDuration);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Name).Required("name").Code("name", 100);
            RuleFor(r => r.Org).Required("owning_org");
            RuleFor(r => r.LoanDuration).Required("loan_duration").Duration("loan_duration");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "noncat_types";

    public override IReadOnlyList<string> Columns { get; } = ["name", "owning_org", "loan_duration"];

    public override string StageColumns => $"name text, org text, {StageWriter.DurationColumns("loan")}";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.name || ' at ' || s.org", "noncat type")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Name);
        w.Text(r.Org);
        w.Duration(r.LoanDuration, "14 days");
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(ImportBoundary.Org("org", "owning_org"));

    public override IEnumerable<string> Checks => [];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync(ImportSql.Counted("""
        INSERT INTO noncat_types (name, owning_org_id, loan_duration, loan_duration_unit)
        SELECT s.name, o.id, s.loan_n, s.loan_unit FROM import_stage s JOIN org_units o ON o.short_name = s.org
        ON CONFLICT (owning_org_id, name) DO UPDATE SET loan_duration = excluded.loan_duration, loan_duration_unit = excluded.loan_duration_unit
        """), ct);
}
