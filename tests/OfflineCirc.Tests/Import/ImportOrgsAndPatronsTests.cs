using Microsoft.EntityFrameworkCore;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Import;

public class ImportOrgsAndPatronsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Org_units_load_with_parents_after_children_and_update_the_root()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        var csv = """
            short_name,name,parent_short_name,time_zone,closed_weekdays
            BR9,Branch Nine,SYS9,America/Vancouver,Sat;Sun
            SYS9,System Nine,CONS,America/Vancouver,
            CONS,The Consortium,,America/Toronto,Sun
            """;
        Assert.Equal((3, 2, 1), await kit.ImportAsync("org_units", csv));
        await using var db = kit.App.CreateContext();
        var br9 = await db.OrgUnits.SingleAsync(o => o.ShortName == "BR9");
        var sys9 = await db.OrgUnits.SingleAsync(o => o.ShortName == "SYS9");
        var cons = await db.OrgUnits.SingleAsync(o => o.ShortName == "CONS");
        Assert.Equal($"/{cons.Id}/{sys9.Id}/{br9.Id}/", br9.Path);
        Assert.Equal(0b110_0000, br9.ClosedWeekdays);
        Assert.Equal("America/Vancouver", br9.TimeZone);
        Assert.Equal("The Consortium", cons.Name);
        Assert.Null(cons.ParentId);
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == "import.org_units" && a.Detail!.StartsWith("3 rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Org_units_reject_unknown_zones_weekdays_parents_and_loops_storing_nothing()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        var errors = await kit.RejectedAsync("org_units", """
            short_name,name,parent_short_name,time_zone,closed_weekdays
            BRA,Branch A,SYS1,Mars/Olympus,
            BRB,Branch B,SYS1,America/Toronto,Caturday
            BRC,Branch C,NOPE,America/Toronto,
            """);
        Assert.Contains(errors, e => e.Row == 2 && e.Message.Contains("time_zone 'Mars/Olympus' is not an IANA time zone"));
        Assert.Contains(errors, e => e.Row == 3 && e.Message.Contains("closed_weekdays 'Caturday'"));
        var loop = await kit.RejectedAsync("org_units", """
            short_name,name,parent_short_name,time_zone,closed_weekdays
            LA,Loop A,LB,America/Toronto,
            LB,Loop B,LA,America/Toronto,
            BRC,Branch C,NOPE,America/Toronto,
            """);
        Assert.Contains(loop, e => e.Row == 4 && e.Message == "parent_short_name 'NOPE' is not a known library nor a row of this file");
        var onlyLoop = await kit.RejectedAsync("org_units", """
            short_name,name,parent_short_name,time_zone,closed_weekdays
            LA,Loop A,LB,America/Toronto,
            LB,Loop B,LA,America/Toronto,
            """);
        Assert.Contains(onlyLoop, e => e.Row == 2 && e.Message.Contains("makes a loop"));
        await using var db = kit.App.CreateContext();
        Assert.False(await db.OrgUnits.AnyAsync(o => o.ShortName.StartsWith("L") || o.ShortName == "BRA"));
    }

    [Fact]
    public async Task Closings_profiles_patrons_and_cards_load_and_reimport_updates_by_key()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        Assert.Equal((2, 2, 0), await kit.ImportAsync("closings", """
            org_short_name,start_date,end_date,reason
            BR1,2026-12-25,2026-12-26,Christmas
            BR3,2026-07-01,2026-07-01,Canada Day
            """));
        Assert.Equal((1, 0, 1), await kit.ImportAsync("closings", "org_short_name,start_date,end_date,reason\nBR1,2026-12-25,2026-12-27,Holidays\n"));
        Assert.Equal((2, 2, 0), await kit.ImportAsync("profiles", """
            name,permission_interval_days,checkout_limit,fine_threshold
            Adult,1095,50,10.00
            Juvenile,365,20,5.00
            """));
        var patrons = """
            card_barcode,family_name,first_given_name,dob,email,day_phone,home_org,profile,active,barred,expire_date,username
            24710000000014,Tremblay,Olivia,1980-04-02,olivia@example.org,416-555-0101,BR1,Adult,true,false,2028-01-31,otremblay
            24710000000022,"Nguyen, Jr.",Liam,,,,BR3,Juvenile,,true,,
            """;
        Assert.Equal((2, 2, 0), await kit.ImportAsync("patrons", patrons));
        Assert.Equal((2, 0, 2), await kit.ImportAsync("patrons", patrons.Replace("Tremblay,Olivia", "Tremblay-Roy,Olivia")));
        Assert.Equal((2, 2, 0), await kit.ImportAsync("cards", """
            barcode,patron_card_barcode,active
            24710500000012,24710000000014,false
            24710500000020,24710000000022,true
            """));
        Assert.Equal((1, 0, 1), await kit.ImportAsync("cards", "barcode,patron_card_barcode,active\n24710500000020,24710000000022,false\n"));

        await using var db = kit.App.CreateContext();
        var closing = await db.OrgClosings.SingleAsync(c => c.OrgUnitId == kit.Orgs.Br1.Id);
        Assert.Equal((new DateOnly(2026, 12, 27), "Holidays"), (closing.EndDate, closing.Reason));
        var olivia = await db.Patrons.Include(p => p.Cards).SingleAsync(p => p.Username == "otremblay");
        Assert.Equal("Tremblay-Roy", olivia.FamilyName);
        Assert.Equal(kit.Orgs.Br1.Id, olivia.HomeOrgId);
        Assert.Equal(2, olivia.Cards.Count);
        Assert.Contains(olivia.Cards, c => c.Barcode == "24710000000014" && c.Primary && c.Active);
        Assert.Contains(olivia.Cards, c => c.Barcode == "24710500000012" && !c.Primary && !c.Active);
        var liam = await db.Patrons.Include(p => p.Cards).SingleAsync(p => p.FirstGivenName == "Liam");
        Assert.Equal("Nguyen, Jr.", liam.FamilyName);
        Assert.True(liam.Barred);
        Assert.True(liam.Active);
        // No expiry given: the profile's permission interval from today.
        Assert.Equal(DateOnly.FromDateTime(DateTime.Today).AddDays(365), liam.ExpireDate);
        Assert.False(liam.Cards.Single(c => !c.Primary).Active);
    }

    [Fact]
    public async Task Patrons_with_unknown_references_report_every_row_and_store_nothing()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await kit.ImportAsync("profiles", "name,permission_interval_days,checkout_limit,fine_threshold\nAdult,1095,50,10.00\n");
        var errors = await kit.RejectedAsync("patrons", """
            card_barcode,family_name,first_given_name,dob,email,day_phone,home_org,profile,active,barred,expire_date,username
            P1,Ok,Row,,,,BR1,Adult,true,false,,
            P2,Bad,Org,,,,BRX,Adult,true,false,,
            P3,Bad,Profile,,,,BR1,Gold,true,false,,
            P1,Again,Card,,,,BR1,Adult,true,false,,
            """);
        Assert.Equal(
        [
            (3, "home_org 'BRX' is not a known library"),
            (4, "profile 'Gold' is not a known patron profile"),
            (5, "card_barcode 'P1' appears again in this file (first at row 2)"),
        ], errors.OrderBy(e => e.Row).ToList());
        await using var db = kit.App.CreateContext();
        Assert.Equal(0, await db.Patrons.CountAsync());
    }
}
