using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>profiles: patron profiles (groups), shared by the whole consortium.</summary>
public sealed class ProfilesImport : ImportKind<ProfilesImport.Row>
{
    public sealed record Row(string? Name, string? PermissionIntervalDays, string? CheckoutLimit, string? FineThreshold);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Name).Required("name").Code("name", 100);
            RuleFor(r => r.PermissionIntervalDays).Required("permission_interval_days").Int("permission_interval_days");
            RuleFor(r => r.CheckoutLimit).Required("checkout_limit").Int("checkout_limit");
            RuleFor(r => r.FineThreshold).Required("fine_threshold").Money("fine_threshold");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "profiles";

    public override ImportBoundary Boundary => ImportBoundary.SharedByAll;

    public override IReadOnlyList<string> Columns { get; } = ["name", "permission_interval_days", "checkout_limit", "fine_threshold"];

    public override string StageColumns => "name text, permission_days int, checkout_limit int, fine_threshold numeric";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.name", "name")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Name);
        w.Int(Values.Int(r.PermissionIntervalDays));
        w.Int(Values.Int(r.CheckoutLimit));
        w.Money(Values.Money(r.FineThreshold));
    }

    public override IEnumerable<string> Checks => [];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync(ImportSql.Counted("""
        INSERT INTO patron_profiles (name, permission_interval_days, checkout_limit, fine_threshold)
        SELECT s.name, s.permission_days, s.checkout_limit, s.fine_threshold FROM import_stage s
        ON CONFLICT (name) DO UPDATE SET permission_interval_days = excluded.permission_interval_days,
            checkout_limit = excluded.checkout_limit, fine_threshold = excluded.fine_threshold
        """), ct);
}
