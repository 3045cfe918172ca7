using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Import;

public class ImportCollectionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string ItemsHeader = "barcode,record_id,owning_org,location,circ_modifier,status,price,alert_message,holdable,status_changed_at";

    private static async Task LoadPatronsAndRecordsAsync(ImportTestKit kit)
    {
        await kit.ImportAsync("profiles", "name,permission_interval_days,checkout_limit,fine_threshold\nAdult,1095,50,10.00\n");
        await kit.ImportAsync("patrons", """
            card_barcode,family_name,first_given_name,dob,email,day_phone,home_org,profile,active,barred,expire_date,username
            P1,Tremblay,Olivia,,,,BR1,Adult,true,false,2030-01-01,
            P2,Singh,Arjun,,,,BR3,Adult,true,false,2030-01-01,
            """);
        Assert.Equal((2, 2, 0), await kit.ImportAsync("records", "record_id,title,author\n100001,\"The Lighthouse, Again\",Thomas King\n100002,Atlas,\n"));
    }

    [Fact]
    public async Task Items_load_and_a_status_change_on_reimport_sets_status_changed_at_as_an_outside_change()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await LoadPatronsAndRecordsAsync(kit);
        Assert.Equal((2, 2, 0), await kit.ImportAsync("items", $"""
            {ItemsHeader}
            I1,100001,BR1,Adult Fiction,book,available,24.99,,true,
            I2,100002,BR3,Media,dvd,lost,19.00,Two discs,false,2026-01-10T09:30:00-08:00
            """));
        await using (var db = kit.App.CreateContext())
        {
            var i2 = await db.Items.SingleAsync(i => i.Barcode == "I2");
            Assert.Equal(ItemStatus.Lost, i2.Status);
            Assert.Equal(new DateTimeOffset(2026, 1, 10, 17, 30, 0, TimeSpan.Zero), i2.StatusChangedAt);
            Assert.Equal("Two discs", i2.AlertMessage);
            Assert.False(i2.Holdable);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO sessions (org_unit_id, description, state, created_by, created_at, run_count, progress_done, progress_total) VALUES ({0}, 'x', 'open', 'x', now(), 0, 0, 0)", kit.Orgs.Br1.Id);
            await db.Database.ExecuteSqlRawAsync("UPDATE items SET status_change_session_id = (SELECT max(id) FROM sessions)");
        }
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        // I1 changes status with no time given (now); I2 keeps its status, so its change time stays.
        Assert.Equal((3, 1, 2), await kit.ImportAsync("items", $"""
            {ItemsHeader}
            I1,100001,BR1,Adult Fiction,book,missing,24.99,,true,
            I2,100002,BR3,Media,dvd,lost,21.00,,false,2026-02-01T00:00:00Z
            I3,100002,BR2,Media,dvd,damaged,19.00,,true,2026-02-01 10:00
            """));
        await using var after = kit.App.CreateContext();
        var items = await after.Items.ToDictionaryAsync(i => i.Barcode);
        Assert.Equal(ItemStatus.Missing, items["I1"].Status);
        Assert.True(items["I1"].StatusChangedAt >= before);
        Assert.Null(items["I1"].StatusChangeSessionId);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 17, 30, 0, TimeSpan.Zero), items["I2"].StatusChangedAt);
        Assert.NotNull(items["I2"].StatusChangeSessionId);
        Assert.Equal(21.00m, items["I2"].Price);
        // A time without offset is local time of the owning library (BR2, Toronto).
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 15, 0, 0, TimeSpan.Zero), items["I3"].StatusChangedAt);
    }

    [Fact]
    public async Task An_import_that_fills_a_tenth_of_its_table_vacuums_it_and_takes_its_statistics_and_a_small_one_leaves_them()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await LoadPatronsAndRecordsAsync(kit);
        var (analyzed, vacuumed) = await UpkeepAsync(kit, "items");
        var many = string.Join('\n', Enumerable.Range(1, 1500).Select(i => $"S{i:D5},100001,BR1,Stacks,book,available,10.00,,true,"));
        Assert.Equal((1500, 1500, 0), await kit.ImportAsync("items", $"{ItemsHeader}\n{many}\n"));
        // Analyzed and vacuumed by the import, not left for autovacuum to do beside the next replay.
        Assert.Equal((analyzed + 1, vacuumed + 1), await UpkeepAsync(kit, "items"));
        await using (var db = kit.App.CreateContext())
        {
            Assert.Equal(1500, await db.Database.SqlQueryRaw<double>("SELECT reltuples::float8 AS \"Value\" FROM pg_class WHERE relname = 'items'").SingleAsync());
        }

        // Ten more items in a table of 1,500 are under the 1,000 rows an analysis waits for: autovacuum's to take.
        var few = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"T{i:D5},100002,BR3,Media,dvd,available,10.00,,true,"));
        Assert.Equal((10, 10, 0), await kit.ImportAsync("items", $"{ItemsHeader}\n{few}\n"));
        Assert.Equal((analyzed + 1, vacuumed + 1), await UpkeepAsync(kit, "items"));
    }

    /// <summary>The analyses and vacuums asked for on a table so far (not autovacuum's).</summary>
    private static async Task<(long Analyzed, long Vacuumed)> UpkeepAsync(ImportTestKit kit, string table)
    {
        await using var db = kit.App.CreateContext();
        var upkeep = await db.Database.SqlQueryRaw<UpkeepCounts>(
            "SELECT analyze_count AS analyzed, vacuum_count AS vacuumed FROM pg_stat_user_tables WHERE relname = {0}", table).SingleAsync();
        return (upkeep.Analyzed, upkeep.Vacuumed);
    }

    private sealed class UpkeepCounts
    {
        public long Analyzed { get; set; }
        public long Vacuumed { get; set; }
    }

    [Fact]
    public async Task Policies_noncat_types_and_workstations_load_and_update_by_their_keys()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await LoadPatronsAndRecordsAsync(kit);
        var policies = """
            org,profile,circ_modifier,loan_duration,max_renewals,fine_per_interval,fine_interval,max_fine,grace_period
            CONS,,,21 days,2,0.25,1 day,5.00,1 day
            CONS,Adult,laptop,4 hours,0,5.00,1 hour,50.00,0 hours
            SYS2,,dvd,3 days,1,1.00,1 day,10.00,
            """;
        Assert.Equal((3, 3, 0), await kit.ImportAsync("policies", policies));
        Assert.Equal((3, 0, 3), await kit.ImportAsync("policies", policies.Replace("21 days", "2 weeks")));
        Assert.Equal((2, 2, 0), await kit.ImportAsync("noncat_types", "name,owning_org,loan_duration\npaperback,CONS,14 days\nheadphones,BR1,3 hours\n"));
        Assert.Equal((2, 2, 0), await kit.ImportAsync("workstations", "name,org_short_name\nBR1-CIRC-01,BR1\nBR3-CIRC-01,BR3\n"));
        Assert.Equal((1, 0, 1), await kit.ImportAsync("workstations", "name,org_short_name\nBR1-CIRC-01,BR2\n"));

        await using var db = kit.App.CreateContext();
        var all = await db.Policies.ToListAsync();
        Assert.Equal(3, all.Count);
        var general = all.Single(p => p.ProfileId == null && p.CircModifier == null);
        Assert.Equal((14, DurationUnit.Days, 1, DurationUnit.Days), (general.LoanDuration, general.LoanDurationUnit, general.GracePeriod, general.GracePeriodUnit));
        var laptop = all.Single(p => p.CircModifier == "laptop");
        Assert.Equal((4, DurationUnit.Hours, DurationUnit.Hours, 50.00m), (laptop.LoanDuration, laptop.LoanDurationUnit, laptop.FineIntervalUnit, laptop.MaxFine));
        Assert.NotNull(laptop.ProfileId);
        var headphones = await db.NoncatTypes.SingleAsync(n => n.Name == "headphones");
        Assert.Equal((3, DurationUnit.Hours, kit.Orgs.Br1.Id), (headphones.LoanDuration, headphones.LoanDurationUnit, headphones.OwningOrgId));
        Assert.Equal(kit.Orgs.Br2.Id, (await db.Workstations.SingleAsync(w => w.Name == "BR1-CIRC-01")).OrgUnitId);
    }

    [Fact]
    public async Task Circulations_billings_and_holds_load_and_checked_out_items_change_status()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await LoadPatronsAndRecordsAsync(kit);
        await kit.ImportAsync("items", $"{ItemsHeader}\nI1,100001,BR1,,book,available,,,true,\nI2,100002,BR3,,dvd,available,,,true,\n");
        Assert.Equal((1, 1, 0), await kit.ImportAsync("circulations", """
            item_barcode,patron_card,checkout_time,due_time,checkout_org,renewals
            I1,P1,2026-02-01T10:00:00-05:00,2026-02-22 23:59:59,BR1,1
            """));
        Assert.Equal((1, 0, 1), await kit.ImportAsync("circulations", """
            item_barcode,patron_card,checkout_time,due_time,checkout_org,renewals
            I1,P2,2026-02-01T10:00:00-05:00,2026-03-01T23:59:59-05:00,BR1,2
            """));
        Assert.Equal((2, 2, 0), await kit.ImportAsync("billings", """
            patron_card,amount,billing_type,billed_at
            P1,12.50,lost item,2026-01-15T12:00:00-05:00
            P1,0.75,overdue,2026-01-20T12:00:00-05:00
            """));
        Assert.Equal((1, 0, 1), await kit.ImportAsync("billings", "patron_card,amount,billing_type,billed_at\nP1,13.00,lost item,2026-01-15T17:00:00Z\n"));
        Assert.Equal((2, 2, 0), await kit.ImportAsync("holds", """
            patron_card,target_item_barcode,target_record_id,pickup_org,request_time,frozen
            P1,I2,,BR1,2026-02-10T11:00:00-05:00,false
            P2,,100001,BR3,2026-02-11T11:00:00-08:00,true
            """));

        await using var db = kit.App.CreateContext();
        var loan = await db.Circulations.SingleAsync();
        var i1 = await db.Items.SingleAsync(i => i.Barcode == "I1");
        var p2 = await db.Cards.SingleAsync(c => c.Barcode == "P2");
        Assert.Equal((p2.PatronId, i1.Id, 2, kit.Orgs.Br1.Id), (loan.PatronId, loan.ItemId, loan.RenewalCount, loan.CheckoutOrgId));
        Assert.Null(loan.CheckinTime);
        Assert.Equal(ItemStatus.CheckedOut, i1.Status);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 15, 0, 0, TimeSpan.Zero), i1.StatusChangedAt);
        var bills = await db.Billings.OrderBy(b => b.BilledAt).ToListAsync();
        Assert.Equal([13.00m, 0.75m], bills.Select(b => b.Amount));
        var holds = await db.Holds.OrderBy(h => h.RequestTime).ToListAsync();
        Assert.All(holds, h => Assert.Equal(HoldStatus.Pending, h.Status));
        Assert.NotNull(holds[0].TargetItemId);
        Assert.Equal(100001, holds[1].TargetRecordId);
        Assert.True(holds[1].Frozen);
    }

    [Fact]
    public async Task Bad_rows_of_every_kind_are_reported_with_their_row_numbers_and_nothing_is_stored()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await LoadPatronsAndRecordsAsync(kit);
        var items = await kit.RejectedAsync("items", $"""
            {ItemsHeader}
            I1,100001,BR1,,book,available,,,true,
            I2,100009,BR1,,book,available,,,true,
            I3,100001,BRX,,book,available,,,true,
            """);
        Assert.Equal([(3, "record_id 100009 is not a known record"), (4, "owning_org 'BRX' is not a known library")], items.OrderBy(e => e.Row));
        var formats = await kit.RejectedAsync("items", $"{ItemsHeader}\nI1,100001,BR1,,book,checked out,,,true,\nI2,x,BR1,,book,available,-1,,maybe,\n");
        Assert.Contains((2, "status 'checked out' is not one of available, checked_out, in_transit, on_holds_shelf, lost, missing, long_overdue, claims_returned, damaged, discard"), formats);
        Assert.Contains(formats, e => e.Row == 3 && e.Message.StartsWith("record_id 'x'", StringComparison.Ordinal));
        Assert.Contains(formats, e => e.Row == 3 && e.Message.StartsWith("price '-1'", StringComparison.Ordinal));
        Assert.Contains(formats, e => e.Row == 3 && e.Message.StartsWith("holdable 'maybe'", StringComparison.Ordinal));
        var header = await kit.RejectedAsync("items", "barcode,record,owning_org\nI1,1,BR1\n");
        Assert.Contains((1, "missing column 'record_id'"), header);
        Assert.Contains(header, e => e.Row == 1 && e.Message.StartsWith("unknown column 'record'", StringComparison.Ordinal));
        var circulations = await kit.RejectedAsync("circulations", """
            item_barcode,patron_card,checkout_time,due_time,checkout_org,renewals
            NOPE,P1,2026-02-01T10:00:00-05:00,2026-02-22T23:59:59-05:00,BR1,0
            """);
        Assert.Equal([(2, "item_barcode 'NOPE' is not a known item")], circulations);
        Assert.Contains((2, "patron_card 'NOCARD' is not a known patron card"),
            await kit.RejectedAsync("billings", "patron_card,amount,billing_type,billed_at\nNOCARD,1.00,overdue,2026-01-01T00:00:00Z\n"));
        Assert.Contains((2, "give either target_item_barcode or target_record_id, not both or neither"),
            await kit.RejectedAsync("holds", "patron_card,target_item_barcode,target_record_id,pickup_org,request_time,frozen\nP1,,,BR1,2026-01-01T00:00:00Z,false\n"));
        Assert.Contains((3, "loan_duration '14 dayz' is not a duration like '14 days' or '4 hours' above 0"),
            await kit.RejectedAsync("policies", "org,profile,circ_modifier,loan_duration,max_renewals,fine_per_interval,fine_interval,max_fine,grace_period\nCONS,,,14 days,,,,,\nCONS,,dvd,14 dayz,,,,,\n"));
        Assert.Contains((2, "patron_card_barcode 'NOCARD' is not a known patron card"),
            await kit.RejectedAsync("cards", "barcode,patron_card_barcode,active\nC9,NOCARD,true\n"));
        await using var db = kit.App.CreateContext();
        Assert.Equal(0, await db.Items.CountAsync());
        Assert.Equal(0, await db.Policies.CountAsync());
        Assert.Equal(0, await db.Billings.CountAsync());
    }
}
