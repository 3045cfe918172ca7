using FluentValidation;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>org_units: the consortium tree. Parents may come after their children in the file.</summary>
public sealed class OrgUnitsImport : ImportKind<OrgUnitsImport.Row>
{
    public sealed record Row(string? ShortName, string? Name, string? Parent, string? TimeZone, string? ClosedWeekdays);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.ShortName).Required("short_name").Code("short_name", 32)
                .Must(v => v!.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
                .WithMessage((_, v) => $"short_name {Values.Quote(v)} may have only letters, digits, '-' and '_'");
            RuleFor(r => r.Name).Required("name").Code("name", 200);
            RuleFor(r => r.Parent).Code("parent_short_name", 32)
                .Must((r, v) => v is null || v != r.ShortName).WithMessage("parent_short_name is the org unit itself");
            RuleFor(r => r.TimeZone).Required("time_zone")
                .Must(Values.IsTimeZone)
                .WithMessage((_, v) => $"time_zone {Values.Quote(v)} is not an IANA time zone such as America/Toronto");
            RuleFor(r => r.ClosedWeekdays).Must(v => Values.TryWeekdays(v, out _))
                .WithMessage((_, v) => $"closed_weekdays {Values.Quote(v)} is not a list of days like Sat;Sun");
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "org_units";

    public override IReadOnlyList<string> Columns { get; } = ["short_name", "name", "parent_short_name", "time_zone", "closed_weekdays"];

    public override string StageColumns => "short_name text, name text, parent text, time_zone text, closed int";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.short_name", "short_name")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3], c[4]);

    protected override void Stage(StageWriter w, Row r)
    {
        Values.TryWeekdays(r.ClosedWeekdays, out var mask);
        w.Text(r.ShortName);
        w.Text(r.Name);
        w.Text(r.Parent);
        w.Text(r.TimeZone);
        w.Int(mask);
    }

    // A new library goes under one of the importer's; the move check after the merge is in PostChecks.
    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        [
            """
            SELECT s.row_no, 'only a consortium administrator can import the root of the consortium' FROM import_stage s
            WHERE @scope IS NOT NULL AND s.parent IS NULL
            """,
        ],
        ImportBoundary.Owned("org unit", "s.short_name", "JOIN org_units o ON o.short_name = s.short_name"),
        ImportBoundary.Owned("parent_short_name", "s.parent", "JOIN org_units o ON o.short_name = s.parent"));

    public override IEnumerable<string> Checks =>
    [
        """
        SELECT s.row_no, format('parent_short_name %L is not a known library nor a row of this file', s.parent) FROM import_stage s
        WHERE s.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.short_name = s.parent)
          AND NOT EXISTS (SELECT 1 FROM import_stage p WHERE p.short_name = s.parent)
        """,
        """
        SELECT s.row_no, format('parent_short_name is empty, but the consortium already has its root %L; only it has no parent', r.short_name)
        FROM import_stage s JOIN org_units r ON r.parent_id IS NULL AND r.short_name <> s.short_name
        WHERE s.parent IS NULL
        """,
        """
        SELECT s.row_no, 'parent_short_name is empty, but an earlier row of this file is already the root' FROM import_stage s
        WHERE s.parent IS NULL AND s.row_no > (SELECT min(row_no) FROM import_stage WHERE parent IS NULL)
          AND NOT EXISTS (SELECT 1 FROM org_units r WHERE r.parent_id IS NULL)
        """,
        """
        SELECT s.row_no, format('%L is the root of the consortium and cannot be given a parent', s.short_name) FROM import_stage s
        JOIN org_units o ON o.short_name = s.short_name AND o.parent_id IS NULL WHERE s.parent IS NOT NULL
        """,
    ];

    public override IEnumerable<string> PostChecks =>
    [
        """
        SELECT s.row_no, format('parent_short_name %L makes a loop: a library cannot be inside itself', s.parent)
        FROM import_stage s JOIN org_units o ON o.short_name = s.short_name LEFT JOIN org_units p ON p.id = o.parent_id
        WHERE o.path <> COALESCE(p.path, '/') || o.id || '/'
        """,
        """
        SELECT s.row_no, format('parent_short_name %L would move %L outside your libraries', s.parent, s.short_name)
        FROM import_stage s JOIN org_units o ON o.short_name = s.short_name
        WHERE @scope IS NOT NULL AND NOT starts_with(o.path, @scope)
        """,
    ];

    public override async Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct)
    {
        var counts = await db.CountsAsync(ImportSql.Counted("""
            INSERT INTO org_units (short_name, name, parent_id, path, time_zone, closed_weekdays, skip_on_newer_activity, allow_username_lookup)
            SELECT s.short_name, s.name, NULL, '/', s.time_zone, s.closed, true, false FROM import_stage s
            ON CONFLICT (short_name) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, closed_weekdays = excluded.closed_weekdays
            """), ct);
        await db.ExecuteAsync("""
            UPDATE org_units o SET parent_id = p.id
            FROM import_stage s LEFT JOIN org_units p ON p.short_name = s.parent
            WHERE o.short_name = s.short_name AND o.parent_id IS DISTINCT FROM p.id
            """, ct);
        await db.ExecuteAsync(OrgTree.RecomputePathsSql, ct);
        return counts;
    }
}
