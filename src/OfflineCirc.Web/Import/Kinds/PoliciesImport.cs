using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>policies: circulation rules by org unit, patron profile and circulation modifier (empty = any).</summary>
public sealed class PoliciesImport : ImportKind<PoliciesImport.Row>
{
    public sealed record Row(string? Org, string? Profile, string? CircModifier, string? LoanDuration, string? MaxRenewals,
        string? FinePerInterval, string? FineInterval, string? MaxFine, string? GracePeriod);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Org).Required("org");
            RuleFor(r => r.CircModifier).Code("circ_modifier");
            RuleFor(r => r.LoanDuration).Required("loan_duration").Duration("loan_duration");
            RuleFor(r => r.MaxRenewals).Int("max_renewals");
            RuleFor(r => r.FinePerInterval).Money("fine_per_interval");
            RuleFor(r => r.FineInterval).Duration("fine_interval");
            RuleFor(r => r.MaxFine).Money("max_fine");
            RuleFor(r => r.GracePeriod).Duration("grace_period", positive: false);
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "policies";

    public override IReadOnlyList<string> Columns { get; } =
        ["org", "profile", "circ_modifier", "loan_duration", "max_renewals", "fine_per_interval", "fine_interval", "max_fine", "grace_period"];

    public override string StageColumns =>
        $"org text, profile text, circ_modifier text, {StageWriter.DurationColumns("loan")}, max_renewals int, fine numeric, " +
        $"{StageWriter.DurationColumns("fine_interval")}, max_fine numeric, {StageWriter.DurationColumns("grace")}";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } =
        [("concat_ws(' / ', s.org, COALESCE(s.profile, 'any profile'), COALESCE(s.circ_modifier, 'any circ_modifier'))", "policy for")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Org);
        w.Text(r.Profile);
        w.Text(r.CircModifier);
        w.Duration(r.LoanDuration, "14 days");
        w.Int(Values.Int(r.MaxRenewals) ?? 0);
        w.Money(Values.Money(r.FinePerInterval) ?? 0m);
        w.Duration(r.FineInterval, "1 day");
        w.Money(Values.Money(r.MaxFine) ?? 0m);
        w.Duration(r.GracePeriod, "0 days");
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(ImportBoundary.Org("org", "org"));

    public override IEnumerable<string> Checks =>
    [
        """
        SELECT s.row_no, format('profile %L is not a known patron profile', s.profile) FROM import_stage s
        WHERE s.profile IS NOT NULL AND NOT EXISTS (SELECT 1 FROM patron_profiles p WHERE p.name = s.profile)
        """,
    ];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync(ImportSql.Counted("""
        INSERT INTO circulation_policies (org_unit_id, profile_id, circ_modifier, loan_duration, loan_duration_unit, max_renewals,
            fine_per_interval, fine_interval, fine_interval_unit, max_fine, grace_period, grace_period_unit)
        SELECT o.id, p.id, s.circ_modifier, s.loan_n, s.loan_unit, s.max_renewals, s.fine, s.fine_interval_n, s.fine_interval_unit,
            s.max_fine, s.grace_n, s.grace_unit
        FROM import_stage s JOIN org_units o ON o.short_name = s.org LEFT JOIN patron_profiles p ON p.name = s.profile
        ON CONFLICT (org_unit_id, profile_id, circ_modifier) DO UPDATE SET loan_duration = excluded.loan_duration,
            loan_duration_unit = excluded.loan_duration_unit, max_renewals = excluded.max_renewals,
            fine_per_interval = excluded.fine_per_interval, fine_interval = excluded.fine_interval,
            fine_interval_unit = excluded.fine_interval_unit, max_fine = excluded.max_fine,
            grace_period = excluded.grace_period, grace_period_unit = excluded.grace_period_unit
        """), ct);
}
