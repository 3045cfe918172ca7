using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Transactions;

namespace OfflineCirc.Core.Data;

public class CircDbContext(DbContextOptions<CircDbContext> options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<OrgClosing> OrgClosings => Set<OrgClosing>();
    public DbSet<Workstation> Workstations => Set<Workstation>();
    public DbSet<PatronProfile> PatronProfiles => Set<PatronProfile>();
    public DbSet<Patron> Patrons => Set<Patron>();
    public DbSet<Card> Cards => Set<Card>();
    public DbSet<PatronBlock> PatronBlocks => Set<PatronBlock>();
    public DbSet<BibRecord> Records => Set<BibRecord>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<CirculationPolicy> Policies => Set<CirculationPolicy>();
    public DbSet<Circulation> Circulations => Set<Circulation>();
    public DbSet<NoncatType> NoncatTypes => Set<NoncatType>();
    public DbSet<NoncatCirculation> NoncatCirculations => Set<NoncatCirculation>();
    public DbSet<InHouseUse> InHouseUses => Set<InHouseUse>();
    public DbSet<Billing> Billings => Set<Billing>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Hold> Holds => Set<Hold>();
    public DbSet<Transit> Transits => Set<Transit>();
    public DbSet<OfflineSession> Sessions => Set<OfflineSession>();
    public DbSet<SessionRun> SessionRuns => Set<SessionRun>();
    public DbSet<SessionCount> SessionCounts => Set<SessionCount>();
    public DbSet<UploadedFile> UploadedFiles => Set<UploadedFile>();
    public DbSet<RejectedLine> RejectedLines => Set<RejectedLine>();
    public DbSet<DuplicateLine> DuplicateLines => Set<DuplicateLine>();
    public DbSet<OfflineTransaction> Transactions => Set<OfflineTransaction>();
    public DbSet<TransactionResult> Results => Set<TransactionResult>();
    public DbSet<TransactionEdit> TransactionEdits => Set<TransactionEdit>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    // Cookie and anti-forgery keys shared by every node (docs/adr-008).
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        ConfigureOrganisation(b);
        ConfigurePatrons(b);
        ConfigureItems(b);
        ConfigureCirculation(b);
        ConfigureSessions(b);
        ConfigurePeople(b);
    }

    private static void ConfigureOrganisation(ModelBuilder b)
    {
        b.Entity<OrgUnit>(e =>
        {
            e.HasIndex(x => x.ShortName).IsUnique();
            e.HasIndex(x => x.Path);
            e.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.ToTable(t => t.HasCheckConstraint("ck_org_units_closed_weekdays", "closed_weekdays BETWEEN 0 AND 127"));
        });
        b.Entity<OrgClosing>(e =>
        {
            e.HasOne(x => x.OrgUnit).WithMany(x => x.Closings).HasForeignKey(x => x.OrgUnitId);
            e.HasIndex(x => new { x.OrgUnitId, x.StartDate });
            e.ToTable(t => t.HasCheckConstraint("ck_org_closings_dates", "end_date >= start_date"));
        });
        b.Entity<Workstation>(e =>
        {
            e.HasIndex(x => x.Name).IsUnique();
            e.HasOne(x => x.OrgUnit).WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static void ConfigurePatrons(ModelBuilder b)
    {
        b.Entity<PatronProfile>(e =>
        {
            e.HasIndex(x => x.Name).IsUnique();
            Money(e.Property(x => x.FineThreshold));
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_patron_profiles_counts", "permission_interval_days >= 0 AND checkout_limit >= 0 AND fine_threshold >= 0");
            });
        });
        b.Entity<Patron>(e =>
        {
            e.HasIndex(x => x.Username).IsUnique();
            e.HasIndex(x => x.Email);
            e.HasIndex(x => new { x.FamilyName, x.FirstGivenName, x.Dob });
            // This relationship and the ones marked "per statement" below are EF's for its joins. The database checks
            // them once per statement by trigger, not row by row (migration ParentKeysPerStatement, docs/adr-018), so a
            // migration generated later must not add their foreign keys back.
            e.HasOne(x => x.HomeOrg).WithMany().HasForeignKey(x => x.HomeOrgId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Profile).WithMany().HasForeignKey(x => x.ProfileId).OnDelete(DeleteBehavior.Restrict); // per statement
        });
        b.Entity<Card>(e =>
        {
            e.HasIndex(x => x.Barcode).IsUnique();
            e.HasOne(x => x.Patron).WithMany(x => x.Cards).HasForeignKey(x => x.PatronId); // per statement
        });
        b.Entity<PatronBlock>(e =>
        {
            e.HasOne<Patron>().WithMany(x => x.Blocks).HasForeignKey(x => x.PatronId);
        });
    }

    private static void ConfigureItems(ModelBuilder b)
    {
        b.Entity<BibRecord>(e =>
        {
            e.ToTable("records");
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        b.Entity<Item>(e =>
        {
            e.HasIndex(x => x.Barcode).IsUnique();
            e.HasIndex(x => x.RecordId);
            e.HasOne(x => x.Record).WithMany().HasForeignKey(x => x.RecordId).OnDelete(DeleteBehavior.Restrict); // per statement
            e.HasOne(x => x.OwningOrg).WithMany().HasForeignKey(x => x.OwningOrgId).OnDelete(DeleteBehavior.Restrict); // per statement
            e.Property(x => x.Status).HasConversion(new SnakeCaseEnumConverter<ItemStatus>());
            Money(e.Property(x => x.Price));
            // The session that last changed the status is checked once per statement by a trigger (migration
            // ReplayKeysPerStatement): without an index on it, the replay's status updates can stay on their page.
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_items_status", $"status IN ({SnakeCaseEnum.CheckList<ItemStatus>()})");
                t.HasCheckConstraint("ck_items_price", "price IS NULL OR price >= 0");
            });
        });
    }

    private static void ConfigureCirculation(ModelBuilder b)
    {
        b.Entity<CirculationPolicy>(e =>
        {
            e.ToTable("circulation_policies", t =>
            {
                t.HasCheckConstraint("ck_policies_values",
                    "loan_duration > 0 AND max_renewals >= 0 AND fine_per_interval >= 0 AND fine_interval > 0 AND max_fine >= 0 AND grace_period >= 0");
            });
            e.HasIndex(x => new { x.OrgUnitId, x.ProfileId, x.CircModifier }).IsUnique().AreNullsDistinct(false);
            e.HasOne(x => x.OrgUnit).WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Profile).WithMany().HasForeignKey(x => x.ProfileId).OnDelete(DeleteBehavior.Restrict);
            Unit(e.Property(x => x.LoanDurationUnit));
            Unit(e.Property(x => x.FineIntervalUnit));
            Unit(e.Property(x => x.GracePeriodUnit));
            Money(e.Property(x => x.FinePerInterval));
            Money(e.Property(x => x.MaxFine));
        });
        b.Entity<Circulation>(e =>
        {
            // At most one open loan per item, whatever path writes it.
            // It also serves every lookup of loans by item, all of them for the open loan.
            e.HasIndex(x => x.ItemId).IsUnique().HasFilter("checkin_time IS NULL").HasDatabaseName("ux_circulations_open_item");
            // Only open loans are ever looked up by patron (the replay's open-loan count, the patron lookup): the index
            // holds those alone, so a check-in adds no entry and the count reads no closed loans (docs/adr-018).
            e.HasIndex(x => x.PatronId).HasFilter("checkin_time IS NULL").HasDatabaseName("ix_circulations_open_patron");
            e.HasOne(x => x.Patron).WithMany().HasForeignKey(x => x.PatronId).OnDelete(DeleteBehavior.Restrict); // per statement
            e.HasOne(x => x.Item).WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict); // per statement
            // The libraries, desks and policy of a loan are checked once per statement by triggers, with guards on the
            // parent tables (migration ReplayKeysPerStatement): row-level foreign keys and the indexes they need cost
            // every loan the replay writes five lookups and five index entries that no query reads (docs/adr-018).
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_circulations_renewals", "renewal_count >= 0");
                t.HasCheckConstraint("ck_circulations_checkin_org", "checkin_time IS NULL OR checkin_org_id IS NOT NULL");
            });
        });
        b.Entity<NoncatType>(e =>
        {
            e.HasIndex(x => new { x.OwningOrgId, x.Name }).IsUnique();
            e.HasOne(x => x.OwningOrg).WithMany().HasForeignKey(x => x.OwningOrgId).OnDelete(DeleteBehavior.Restrict);
            Unit(e.Property(x => x.LoanDurationUnit));
            e.ToTable(t => t.HasCheckConstraint("ck_noncat_types_duration", "loan_duration > 0"));
        });
        b.Entity<NoncatCirculation>(e =>
        {
            // The replay's lendings name their patron, type, library and desk, checked once per statement by trigger
            // (migration ParentKeysPerStatement); the indexes serve the parents' guards.
            e.HasIndex(x => x.PatronId);
            e.HasIndex(x => x.NoncatTypeId);
            e.HasIndex(x => x.OrgId);
            e.HasIndex(x => x.WorkstationId);
            e.ToTable(t => t.HasCheckConstraint("ck_noncat_circulations_count", "count BETWEEN 1 AND 100"));
        });
        b.Entity<InHouseUse>(e =>
        {
            // Item, library and desk are checked once per statement by trigger (migration ParentKeysPerStatement).
            e.HasIndex(x => x.ItemId);
            e.HasIndex(x => x.OrgId);
            e.HasIndex(x => x.WorkstationId);
            e.ToTable(t => t.HasCheckConstraint("ck_in_house_uses_count", "count BETWEEN 1 AND 100"));
        });
        b.Entity<Billing>(e =>
        {
            e.HasIndex(x => new { x.PatronId, x.BilledAt });
            e.HasIndex(x => x.CirculationId);
            // Patron and loan are checked once per statement by trigger (migration ParentKeysPerStatement).
            Money(e.Property(x => x.Amount));
            Money(e.Property(x => x.AmountPaid));
            e.ToTable(t => t.HasCheckConstraint("ck_billings_amounts", "amount > 0 AND amount_paid >= 0 AND amount_paid <= amount"));
        });
        b.Entity<Payment>(e =>
        {
            e.HasIndex(x => x.PatronId);
            e.HasOne<Patron>().WithMany().HasForeignKey(x => x.PatronId).OnDelete(DeleteBehavior.Restrict);
            Money(e.Property(x => x.Amount));
            e.ToTable(t => t.HasCheckConstraint("ck_payments_amount", "amount > 0"));
        });
        b.Entity<Hold>(e =>
        {
            e.HasIndex(x => new { x.TargetItemId, x.Status });
            e.HasIndex(x => new { x.TargetRecordId, x.Status });
            // Open holds are also indexed by their item, record and captured item (migration OpenHoldsIndexed).
            e.HasIndex(x => x.PatronId);
            e.HasOne(x => x.Patron).WithMany().HasForeignKey(x => x.PatronId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Item>().WithMany().HasForeignKey(x => x.TargetItemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<BibRecord>().WithMany().HasForeignKey(x => x.TargetRecordId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Item>().WithMany().HasForeignKey(x => x.CapturedItemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.PickupOrgId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Status).HasConversion(new SnakeCaseEnumConverter<HoldStatus>());
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_holds_target", "target_item_id IS NOT NULL OR target_record_id IS NOT NULL");
                t.HasCheckConstraint("ck_holds_status", $"status IN ({SnakeCaseEnum.CheckList<HoldStatus>()})");
            });
        });
        b.Entity<Transit>(e =>
        {
            e.HasIndex(x => x.ItemId).IsUnique().HasFilter("received_time IS NULL").HasDatabaseName("ux_transits_open_item");
            // Item, libraries, hold and desk are checked once per statement by trigger (migration ParentKeysPerStatement).
            e.HasIndex(x => x.FromOrgId);
            e.HasIndex(x => x.ToOrgId);
            e.HasIndex(x => x.HoldId);
            e.HasIndex(x => x.WorkstationId);
        });
    }

    private static void ConfigureSessions(ModelBuilder b)
    {
        b.Entity<OfflineSession>(e =>
        {
            e.ToTable("sessions");
            e.HasIndex(x => new { x.OrgUnitId, x.CreatedAt });
            e.HasOne(x => x.OrgUnit).WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.State).HasConversion(new SnakeCaseEnumConverter<SessionState>());
        });
        b.Entity<SessionRun>(e =>
        {
            // One unfinished run per session, enforced by the database even when two requests race.
            e.HasIndex(x => x.SessionId).IsUnique().HasFilter("finished_at IS NULL").HasDatabaseName("ux_session_runs_active");
            e.HasIndex(x => new { x.SessionId, x.Run }).IsUnique();
            e.HasOne<OfflineSession>().WithMany().HasForeignKey(x => x.SessionId);
        });
        b.Entity<SessionCount>(e =>
        {
            e.ToTable("session_counts");
            e.HasKey(x => new { x.SessionId, x.Name });
            e.HasOne<OfflineSession>().WithMany().HasForeignKey(x => x.SessionId);
        });
        b.Entity<UploadedFile>(e =>
        {
            e.HasOne<OfflineSession>().WithMany(x => x.Files).HasForeignKey(x => x.SessionId);
            e.ToTable(t => t.HasCheckConstraint("ck_uploaded_files_lines", "lines_read = stored + duplicates + rejected"));
        });
        b.Entity<RejectedLine>(e =>
        {
            e.HasIndex(x => new { x.SessionId, x.FileId, x.LineNumber });
            e.HasOne<UploadedFile>().WithMany().HasForeignKey(x => x.FileId);
        });
        b.Entity<DuplicateLine>(e =>
        {
            e.HasIndex(x => new { x.FileId, x.LineNumber });
            e.HasOne<UploadedFile>().WithMany().HasForeignKey(x => x.FileId);
            e.HasOne<OfflineTransaction>().WithMany().HasForeignKey(x => x.OriginalTransactionId);
        });
        b.Entity<OfflineTransaction>(e =>
        {
            e.ToTable("offline_transactions", t =>
            {
                t.HasCheckConstraint("ck_offline_transactions_type", $"type IN ({TransactionKinds.CheckList})");
                t.HasCheckConstraint("ck_offline_transactions_count", "count IS NULL OR count BETWEEN 1 AND 100");
                t.HasCheckConstraint("ck_offline_transactions_noncat_count", "noncat_count IS NULL OR noncat_count BETWEEN 1 AND 100");
            });
            // Keys are compared byte for byte. The unique index is on the key's 16-byte digest, which costs intake far
            // less to maintain than one on the text (docs/adr-007); the function offline_key_digest computes it in SQL.
            e.Property(x => x.Key).UseCollation("C").HasField("_key");
            e.Property(x => x.KeyDigest);
            e.HasIndex(x => x.KeyDigest).IsUnique();
            e.HasIndex(x => new { x.SessionId, x.FileId, x.LineNumber });
            // The transaction as received, kept as text: intake already read it as JSON, and jsonb would parse it again.
            Money(e.Property(x => x.Amount));
            // Only kinds with a typed payload (registrations) fill it, so most lines cost nothing here.
            e.Property(x => x.Parsed).HasColumnType("jsonb");
            // The session and file are checked once per statement by triggers (migration IntakeStatementChecks),
            // not by row-level foreign keys, which cost a lookup per stored line (docs/adr-005).
        });
        b.Entity<TransactionResult>(e =>
        {
            e.ToTable("transaction_results");
            // A result is named by its line and run: the replay writes a million a run, and a key of its own was one more
            // index to keep for each, that nothing read (docs/adr-018, finding 27).
            e.HasKey(x => new { x.TransactionId, x.Run });
            e.HasIndex(x => x.TransactionId).IsUnique().HasFilter("is_current").HasDatabaseName("ux_transaction_results_current");
            // Keyset paging of exceptions: (session, status, id) over current rows only.
            e.HasIndex(x => new { x.SessionId, x.Status, x.TransactionId }).HasFilter("is_current").HasDatabaseName("ix_transaction_results_session_current");
            // The transaction of each result is checked once per statement by a trigger, and deleting a transaction
            // deletes its results (migration ReplayKeysPerStatement): a row-level key locked each line's row as its
            // result was written, a second write of every line the replay processes (docs/adr-018).
            e.Property(x => x.Status).HasConversion(new SnakeCaseEnumConverter<ResultStatus>());
            Money(e.Property(x => x.BilledAmount));
        });
        b.Entity<TransactionEdit>(e =>
        {
            e.HasIndex(x => x.TransactionId);
            e.HasOne<OfflineTransaction>().WithMany().HasForeignKey(x => x.TransactionId);
        });
    }

    private static void ConfigurePeople(ModelBuilder b)
    {
        b.Entity<AppUser>(e =>
        {
            e.HasOne(x => x.HomeOrg).WithMany().HasForeignKey(x => x.HomeOrgId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ApiToken>(e =>
        {
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId);
        });
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.Action, x.At });
        });
    }

    /// <summary>
    /// The holds still to be filled, as the replay's lookup of them says it. The open-hold indexes (migration
    /// OpenHoldsIndexed) carry the same predicate; a change here needs a migration that builds them again.
    /// </summary>
    public const string OpenHolds = "status IN ('pending', 'captured')";

    private static void Money(PropertyBuilder p) => p.HasPrecision(12, 2);

    private static void Unit(PropertyBuilder<DurationUnit> p) =>
        p.HasConversion(new SnakeCaseEnumConverter<DurationUnit>()).HasMaxLength(8);
}
