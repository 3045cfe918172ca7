using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Replay;

/// <summary>A clock that stands still, so "due date in the past" does not depend on when the tests run.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// A small consortium to replay against: CONS (Toronto) > SYS > BR1 (closed at weekends), BR2, and BRV in Vancouver;
/// an Adult profile, a consortium-wide book policy, two patrons, four items and a session. Seeded with EF directly.
/// </summary>
public sealed class ReplayWorld(TestDatabase db)
{
    /// <summary>Processing time of every run: Thursday 5 March 2026, 12:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LongAgo = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, long> _files = [];
    private int _line;

    public TestDatabase Db { get; } = db;
    public OrgUnit Cons { get; private set; } = null!;
    public OrgUnit Br1 { get; private set; } = null!;
    public OrgUnit Br2 { get; private set; } = null!;
    public OrgUnit Brv { get; private set; } = null!;
    public PatronProfile Adult { get; private set; } = null!;
    public CirculationPolicy BookPolicy { get; private set; } = null!;
    public OfflineSession Session { get; private set; } = null!;
    public Dictionary<string, Workstation> Workstations { get; } = [];

    // The fixture's TRUNCATE of every table takes seconds; emptying the few rows a scenario leaves takes milliseconds.
    // Foreign-key triggers are off for the transaction and sequences restart, so seeded ids repeat from run to run.
    private const string EmptyTables = """
        DO $$
        DECLARE t text;
        BEGIN
          PERFORM set_config('session_replication_role', 'replica', true);
          FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory' LOOP
            EXECUTE format('DELETE FROM public.%I', t);
          END LOOP;
          FOR t IN SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace LOOP
            EXECUTE format('ALTER SEQUENCE public.%I RESTART', t);
          END LOOP;
        END $$
        """;

    public static async Task<ReplayWorld> CreateAsync(TestDatabase db)
    {
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var empty = new Npgsql.NpgsqlCommand(EmptyTables, conn))
        {
            await empty.ExecuteNonQueryAsync();
        }
        var w = new ReplayWorld(db);
        await w.SeedAsync();
        return w;
    }

    private async Task SeedAsync()
    {
        await using var c = Db.CreateContext();
        Cons = new OrgUnit { ShortName = "CONS", Name = "Consortium", TimeZone = "America/Toronto" };
        c.OrgUnits.Add(Cons);
        await c.SaveChangesAsync();
        var sys = new OrgUnit { ShortName = "SYS", Name = "System", TimeZone = "America/Toronto", ParentId = Cons.Id };
        c.OrgUnits.Add(sys);
        await c.SaveChangesAsync();
        Br1 = new OrgUnit { ShortName = "BR1", Name = "Branch 1", TimeZone = "America/Toronto", ParentId = sys.Id, ClosedWeekdays = (1 << 5) | (1 << 6) };
        Br2 = new OrgUnit { ShortName = "BR2", Name = "Branch 2", TimeZone = "America/Toronto", ParentId = sys.Id };
        Brv = new OrgUnit { ShortName = "BRV", Name = "Vancouver", TimeZone = "America/Vancouver", ParentId = sys.Id };
        c.OrgUnits.AddRange(Br1, Br2, Brv);
        Adult = new PatronProfile { Name = "Adult", PermissionIntervalDays = 365, CheckoutLimit = 3, FineThreshold = 5m };
        c.PatronProfiles.Add(Adult);
        await c.SaveChangesAsync();
        BookPolicy = new CirculationPolicy
        {
            OrgUnitId = Cons.Id,
            LoanDuration = 14,
            LoanDurationUnit = DurationUnit.Days,
            MaxRenewals = 1,
            FinePerInterval = 0.25m,
            FineInterval = 1,
            FineIntervalUnit = DurationUnit.Days,
            MaxFine = 3m,
            GracePeriod = 0,
            GracePeriodUnit = DurationUnit.Days,
        };
        c.Policies.Add(BookPolicy);
        foreach (var (name, org) in new[] { ("BR1-CIRC-01", Br1), ("BR1-CIRC-02", Br1), ("BR2-CIRC-01", Br2), ("BRV-CIRC-01", Brv) })
        {
            var ws = new Workstation { Name = name, OrgUnitId = org.Id, RegisteredAt = LongAgo };
            c.Workstations.Add(ws);
            Workstations[name] = ws;
        }
        c.Records.AddRange(new BibRecord { Id = 100, Title = "A Book" }, new BibRecord { Id = 200, Title = "Another Book" });
        Session = SessionOfBr1("Outage");
        c.Sessions.Add(Session);
        await c.SaveChangesAsync();
        await NewPatronAsync("P1");
        await NewPatronAsync("P2");
        await NewItemAsync("I1");
        await NewItemAsync("I2");
        await NewItemAsync("I3", recordId: 200);
        await NewItemAsync("I4", owner: Br2);
    }

    public async Task<Patron> NewPatronAsync(string card, Action<Patron>? tweak = null, bool cardActive = true)
    {
        await using var c = Db.CreateContext();
        var p = new Patron
        {
            FamilyName = "Family" + card,
            FirstGivenName = "Given" + card,
            HomeOrgId = Br1.Id,
            ProfileId = Adult.Id,
            ExpireDate = new DateOnly(2030, 1, 1),
            CreatedAt = LongAgo,
            Email = card.ToLowerInvariant() + "@example.org",
            Dob = new DateOnly(1980, 1, 1),
        };
        tweak?.Invoke(p);
        p.Cards.Add(new Card { Barcode = card, Active = cardActive, Primary = true });
        c.Patrons.Add(p);
        await c.SaveChangesAsync();
        return p;
    }

    public async Task<Item> NewItemAsync(string barcode, OrgUnit? owner = null, ItemStatus status = ItemStatus.Available,
        long recordId = 100, string modifier = "book", string? alert = null, DateTimeOffset? changedAt = null, long? changedBySession = null)
    {
        await using var c = Db.CreateContext();
        var item = new Item
        {
            Barcode = barcode,
            RecordId = recordId,
            OwningOrgId = (owner ?? Br1).Id,
            CircModifier = modifier,
            Status = status,
            AlertMessage = alert,
            StatusChangedAt = changedAt ?? LongAgo,
            StatusChangeSessionId = changedBySession,
        };
        c.Items.Add(item);
        await c.SaveChangesAsync();
        return item;
    }

    public async Task<T> AddAsync<T>(T entity) where T : class
    {
        await using var c = Db.CreateContext();
        c.Add(entity);
        await c.SaveChangesAsync();
        return entity;
    }

    public Task<long> CheckoutAsync(string ws, DateTimeOffset at, string patron, string? item, string? dueDate = null, string? noncat = null) =>
        TxAsync("checkout", ws, at, t =>
        {
            t.PatronBarcode = patron;
            t.ItemBarcode = item;
            t.DueDate = dueDate;
            t.CheckoutTime = at;
            t.NoncatType = noncat;
            t.NoncatCount = noncat is null ? null : 2;
        });

    public Task<long> RenewAsync(string ws, DateTimeOffset at, string item, string? patron = null, string? dueDate = null) =>
        TxAsync("renew", ws, at, t =>
        {
            t.ItemBarcode = item;
            t.PatronBarcode = patron;
            t.DueDate = dueDate;
        });

    public Task<long> CheckinAsync(string ws, DateTimeOffset at, string item, DateTimeOffset? backdate = null) =>
        TxAsync("checkin", ws, at, t =>
        {
            t.ItemBarcode = item;
            t.Backdate = backdate;
            t.EffectiveAt = backdate ?? at;
        });

    public Task<long> InHouseAsync(string ws, DateTimeOffset at, string item, int count) =>
        TxAsync("in_house_use", ws, at, t =>
        {
            t.ItemBarcode = item;
            t.Count = count;
        });

    public Task<long> PaymentAsync(string ws, DateTimeOffset at, string patron, decimal amount) =>
        TxAsync("payment", ws, at, t =>
        {
            t.PatronBarcode = patron;
            t.Amount = amount;
        });

    public Task<long> RegisterAsync(string ws, DateTimeOffset at, object user) =>
        TxAsync("register", ws, at, t => t.Payload = JsonSerializer.Serialize(new { type = "register", user }));

    private async Task<long> TxAsync(string type, string ws, DateTimeOffset at, Action<OfflineTransaction> fill)
    {
        await using var c = Db.CreateContext();
        var fileId = await FileAsync(c, ws);
        var t = new OfflineTransaction
        {
            Key = Guid.NewGuid().ToString(),
            SessionId = Session.Id,
            FileId = fileId,
            LineNumber = ++_line,
            Type = type,
            Workstation = ws,
            RecordedAt = at,
            EffectiveAt = at,
            Payload = "{}",
        };
        fill(t);
        c.Transactions.Add(t);
        await c.SaveChangesAsync();
        return t.Id;
    }

    private async Task<long> FileAsync(CircDbContext c, string ws)
    {
        if (_files.TryGetValue(ws, out var id))
        {
            return id;
        }
        var file = new UploadedFile
        {
            SessionId = Session.Id,
            Workstation = ws,
            FileName = ws + ".jsonl",
            UploadedBy = "admin@test",
            UploadedAt = LongAgo,
            Format = "native",
        };
        c.UploadedFiles.Add(file);
        await c.SaveChangesAsync();
        return _files[ws] = file.Id;
    }

    /// <summary>Opens another session of the same library: the lines added from now on go to it.</summary>
    public async Task<OfflineSession> NewSessionAsync(string description)
    {
        await using var c = Db.CreateContext();
        Session = SessionOfBr1(description);
        c.Sessions.Add(Session);
        await c.SaveChangesAsync();
        _files.Clear();
        return Session;
    }

    private OfflineSession SessionOfBr1(string description) =>
        new() { OrgUnitId = Br1.Id, Description = description, CreatedBy = "admin@test", CreatedAt = LongAgo };

    /// <summary>A processor as the app configures it by default, or by batch, or with a smaller transaction.</summary>
    public SessionProcessor Processor(int batchSize = 2000, bool oneTransaction = true, int linesPerTransaction = SessionProcessor.DefaultLinesPerTransaction) =>
        new(Db.DataSource, NullLogger<SessionProcessor>.Instance, new FixedClock(Now))
        {
            BatchSize = batchSize,
            OneTransactionPerRun = oneTransaction,
            LinesPerTransaction = linesPerTransaction,
        };

    public Task<int> RunAsync(int batchSize = 2000, bool oneTransaction = true, int linesPerTransaction = SessionProcessor.DefaultLinesPerTransaction) =>
        RunAsync(Session, batchSize, oneTransaction, linesPerTransaction);

    public Task<int> RunAsync(OfflineSession session, int batchSize, bool oneTransaction = true, int linesPerTransaction = SessionProcessor.DefaultLinesPerTransaction) =>
        RunAsync(Processor(batchSize, oneTransaction, linesPerTransaction), session);

    /// <summary>Starts a processing run of <paramref name="session"/> (the world's own by default) with <paramref name="p"/> and runs it to its end.</summary>
    public async Task<int> RunAsync(SessionProcessor p, OfflineSession? session = null)
    {
        var id = (session ?? Session).Id;
        var run = await p.StartRunAsync(id, RunKind.Process, "admin@test");
        return await p.RunAsync(id, run, "admin@test", CancellationToken.None);
    }

    public async Task<TransactionResult> ResultAsync(long txId)
    {
        await using var c = Db.CreateContext();
        return await c.Results.SingleAsync(r => r.TransactionId == txId && r.IsCurrent);
    }

    public async Task<Item> ItemAsync(string barcode)
    {
        await using var c = Db.CreateContext();
        return await c.Items.SingleAsync(i => i.Barcode == barcode);
    }

    public async Task<List<Circulation>> CirculationsAsync(string itemBarcode)
    {
        await using var c = Db.CreateContext();
        return await c.Circulations.Where(x => x.Item!.Barcode == itemBarcode).OrderBy(x => x.CheckoutTime).ToListAsync();
    }

    public CircDbContext Context() => Db.CreateContext();

    public async Task<long> PatronIdAsync(string card)
    {
        await using var c = Db.CreateContext();
        return await c.Cards.Where(x => x.Barcode == card).Select(x => x.PatronId).SingleAsync();
    }

    /// <summary>A loan open before the outage, as the circulations import would leave it.</summary>
    public async Task<Circulation> OpenLoanAsync(string item, string card, DateTimeOffset checkout, DateTimeOffset due, int renewals = 0, string? stopFines = null)
    {
        await using var c = Db.CreateContext();
        var i = await c.Items.SingleAsync(x => x.Barcode == item);
        i.Status = ItemStatus.CheckedOut;
        var circ = new Circulation
        {
            PatronId = await PatronIdAsync(card),
            ItemId = i.Id,
            CheckoutTime = checkout,
            DueTime = due,
            CheckoutOrgId = Br1.Id,
            RenewalCount = renewals,
            StopFines = stopFines,
        };
        c.Circulations.Add(circ);
        await c.SaveChangesAsync();
        return circ;
    }

    public async Task<Hold> HoldAsync(string card, OrgUnit pickup, DateTimeOffset requested, string? item = null, long? recordId = null,
        HoldStatus status = HoldStatus.Pending, string? capturedItem = null)
    {
        await using var c = Db.CreateContext();
        var hold = new Hold
        {
            PatronId = await PatronIdAsync(card),
            PickupOrgId = pickup.Id,
            RequestTime = requested,
            Status = status,
            TargetItemId = item is null ? null : (await c.Items.SingleAsync(x => x.Barcode == item)).Id,
            TargetRecordId = recordId,
            CapturedItemId = capturedItem is null ? null : (await c.Items.SingleAsync(x => x.Barcode == capturedItem)).Id,
        };
        c.Holds.Add(hold);
        await c.SaveChangesAsync();
        return hold;
    }

    public async Task<Billing> BillAsync(string card, decimal amount, DateTimeOffset at, long? circulationId = null, string type = "overdue_fine")
    {
        await using var c = Db.CreateContext();
        var bill = new Billing { PatronId = await PatronIdAsync(card), Amount = amount, BilledAt = at, BillingType = type, CirculationId = circulationId };
        c.Billings.Add(bill);
        await c.SaveChangesAsync();
        return bill;
    }
}
