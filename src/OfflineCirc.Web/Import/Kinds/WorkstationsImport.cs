using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>workstations: named desks (e.g. BR1-CIRC-01) and the org unit they belong to.</summary>
public sealed class WorkstationsImport : ImportKind<WorkstationsImport.Row>
{
    public sealed record Row(string? Name, string? Org);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Name).Required("name").Code("name", 100);
            RuleFor(r => r.Org).Required("org_short_name");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "workstations";

    public override IReadOnlyList<string> Columns { get; } = ["name", "org_short_name"];

    public override string StageColumns => "name text, org text";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.name", "name")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Name);
        w.Text(r.Org);
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        ImportBoundary.Org("org", "org_short_name"),
        ImportBoundary.Owned("workstation", "s.name", "JOIN workstations ws ON ws.name = s.name JOIN org_units o ON o.id = ws.org_unit_id"));

    public override IEnumerable<string> Checks => [];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync(ImportSql.Counted("""
        INSERT INTO workstations (name, org_unit_id, registered_at, registered_by, service_worker_installed)
        SELECT s.name, o.id, now(), @user, false FROM import_stage s JOIN org_units o ON o.short_name = s.org
        ON CONFLICT (name) DO UPDATE SET org_unit_id = excluded.org_unit_id
        """), ct);
}
