using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>patrons: card_barcode makes the patron's primary card and identifies the patron on re-import.</summary>
public sealed class PatronsImport : ImportKind<PatronsImport.Row>
{
    public sealed record Row(string? Card, string? FamilyName, string? GivenName, string? Dob, string? Email, string? DayPhone,
        string? HomeOrg, string? Profile, string? Active, string? Barred, string? ExpireDate, string? Username);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.Card).Required("card_barcode").Code("card_barcode");
            RuleFor(r => r.FamilyName).Required("family_name").Code("family_name", 200);
            RuleFor(r => r.GivenName).Required("first_given_name").Code("first_given_name", 200);
            RuleFor(r => r.Dob).Date("dob");
            RuleFor(r => r.Email).Code("email", 320)
                .Must(v => v is null || (v.Contains('@') && !v.Contains(' '))).WithMessage((_, v) => $"email {Values.Quote(v)} is not an email address");
            RuleFor(r => r.DayPhone).Code("day_phone");
            RuleFor(r => r.HomeOrg).Required("home_org");
            RuleFor(r => r.Profile).Required("profile");
            RuleFor(r => r.Active).Bool("active");
            RuleFor(r => r.Barred).Bool("barred");
            RuleFor(r => r.ExpireDate).Date("expire_date");
            RuleFor(r => r.Username).Code("username", 100);
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "patrons";

    public override IReadOnlyList<string> FilledTables => ["patrons", "cards"];

    public override IReadOnlyList<string> Columns { get; } =
        ["card_barcode", "family_name", "first_given_name", "dob", "email", "day_phone", "home_org", "profile", "active", "barred", "expire_date", "username"];

    public override string StageColumns =>
        "card text, family_name text, given_name text, dob date, email text, day_phone text, home_org text, profile text, " +
        "active bool, barred bool, expire_date date, username text, patron_id bigint, is_new bool NOT NULL DEFAULT false";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.card", "card_barcode"), ("s.username", "username")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Text(r.Card);
        w.Text(r.FamilyName);
        w.Text(r.GivenName);
        w.Date(Values.Date(r.Dob));
        w.Text(r.Email);
        w.Text(r.DayPhone);
        w.Text(r.HomeOrg);
        w.Text(r.Profile);
        w.Bool(Values.Bool(r.Active) ?? true);
        w.Bool(Values.Bool(r.Barred) ?? false);
        w.Date(Values.Date(r.ExpireDate));
        w.Text(r.Username);
        w.Long(null);
        w.Bool(false);
    }

    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(
        ImportBoundary.Org("home_org", "home_org"),
        ImportBoundary.CardKey("card", "patron with card_barcode"));

    public override IEnumerable<string> Checks =>
    [
        """
        SELECT s.row_no, format('profile %L is not a known patron profile', s.profile) FROM import_stage s
        WHERE NOT EXISTS (SELECT 1 FROM patron_profiles p WHERE p.name = s.profile)
        """,
        """
        SELECT s.row_no, format('username %L belongs to another patron', s.username) FROM import_stage s
        JOIN patrons p ON p.username = s.username LEFT JOIN cards c ON c.barcode = s.card
        WHERE c.patron_id IS DISTINCT FROM p.id
        """,
    ];

    public override async Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct)
    {
        await db.ExecuteAsync("UPDATE import_stage s SET patron_id = c.patron_id FROM cards c WHERE c.barcode = s.card", ct);
        var updated = await db.ExecuteAsync("""
            UPDATE patrons p SET family_name = s.family_name, first_given_name = s.given_name, dob = s.dob, email = s.email,
                day_phone = s.day_phone, home_org_id = o.id, profile_id = pr.id, active = s.active, barred = s.barred,
                expire_date = COALESCE(s.expire_date, p.expire_date), username = s.username
            FROM import_stage s JOIN org_units o ON o.short_name = s.home_org JOIN patron_profiles pr ON pr.name = s.profile
            WHERE p.id = s.patron_id
            """, ct);
        // New patrons get their ids first, so that their cards can point at them in one more statement.
        await db.ExecuteAsync("""
            UPDATE import_stage SET is_new = true, patron_id = nextval(pg_get_serial_sequence('patrons', 'id')) WHERE patron_id IS NULL
            """, ct);
        var inserted = await db.ExecuteAsync("""
            INSERT INTO patrons (id, family_name, first_given_name, dob, email, day_phone, home_org_id, profile_id, active, barred,
                expire_date, username, created_at)
            SELECT s.patron_id, s.family_name, s.given_name, s.dob, s.email, s.day_phone, o.id, pr.id, s.active, s.barred,
                COALESCE(s.expire_date, current_date + pr.permission_interval_days), s.username, now()
            FROM import_stage s JOIN org_units o ON o.short_name = s.home_org JOIN patron_profiles pr ON pr.name = s.profile
            WHERE s.is_new
            """, ct);
        await db.ExecuteAsync("""
            INSERT INTO cards (barcode, patron_id, active, "primary") SELECT s.card, s.patron_id, true, true FROM import_stage s WHERE s.is_new
            """, ct);
        return (inserted, updated);
    }
}
