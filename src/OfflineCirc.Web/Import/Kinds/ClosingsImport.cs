using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>closings: dated closings of an org unit (inclusive local dates), keyed by org unit and start date.</summary>
public sealed class ClosingsImport : ImportKind<ClosingsImport.Row>
{
    public sealed record Row(string? Org, string? StartDate, string? EndDate, string? Reason);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Org).Required("org_short_name");
            RuleFor(r => r.StartDate).Required("start_date").Date("start_date");
            RuleFor(r => r.EndDate).Required("end_date").Date("end_date")
                .Must((r, v) => !Values.IsDate(r.StartDate) || Values.Date(v) >= Values.Date(r.StartDate))
                .WithMessage(r => $"end_date '{r.EndDate}' is before start_date '{r.StartDate}'");
            RuleFor(r => r.Reason).Code("reason", 200);
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "closings";

    public override IReadOnlyList<string> Columns { get; } = ["org_short_name", "start_date", "end_date", "reason"];

    public override string StageColumns => "org text, start_date date, end_date date, reason text";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } =
        [("s.org || ' from ' || s.start_date", "closing of")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Org);
        w.Date(Values.Date(r.StartDate));
        w.Date(Values.Date(r.EndDate));
        w.Text(r.Reason);
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(ImportBoundary.Org("org", "org_short_name"));

    public override IEnumerable<string> Checks => [];

    // No unique key on (org unit, start date) in the schema, so update what matches and insert the rest.
    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync("""
        WITH src AS (SELECT o.id AS org_id, s.start_date, s.end_date, COALESCE(s.reason, '') AS reason
                     FROM import_stage s JOIN org_units o ON o.short_name = s.org),
        u AS (UPDATE org_closings c SET end_date = src.end_date, reason = src.reason FROM src
              WHERE c.org_unit_id = src.org_id AND c.start_date = src.start_date RETURNING c.id),
        i AS (INSERT INTO org_closings (org_unit_id, start_date, end_date, reason)
              SELECT org_id, start_date, end_date, reason FROM src
              WHERE NOT EXISTS (SELECT 1 FROM org_closings c WHERE c.org_unit_id = src.org_id AND c.start_date = src.start_date)
              RETURNING id)
        SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM u)
        """, ct);
}
