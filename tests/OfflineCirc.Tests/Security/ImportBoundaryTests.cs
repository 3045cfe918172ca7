using System.Net;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Import;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Web.Import;

namespace OfflineCirc.Tests.Security;

/// <summary>An administrator of SYS1 (BR1, BR2) imports rows that would reach into SYS2 (BR3); each is refused by row.</summary>
public class ImportBoundaryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Circulations = "item_barcode,patron_card,checkout_time,due_time,checkout_org,renewals";
    private const string Holds = "patron_card,target_item_barcode,target_record_id,pickup_org,request_time,frozen";
    private const string Items = "barcode,record_id,owning_org,location,circ_modifier,status,price,alert_message,holdable,status_changed_at";
    private const string Patrons = "card_barcode,family_name,first_given_name,dob,email,day_phone,home_org,profile,active,barred,expire_date,username";

    /// <summary>One foreign row per kind (profiles are refused whole); a kind added to ImportKinds.All without a row fails.</summary>
    public static readonly IReadOnlyList<(string Kind, string Csv, string Message)> ForeignRows =
    [
        ("org_units", "short_name,name,parent_short_name,time_zone,closed_weekdays\nBR3,Renamed,SYS1,America/Toronto,\n",
            "org unit 'BR3' belongs to a library outside yours"),
        ("closings", "org_short_name,start_date,end_date,reason\nBR3,2026-12-24,2026-12-26,Holiday\n",
            "org_short_name 'BR3' is outside your libraries"),
        ("patrons", $"{Patrons}\nP3,Taken,Over,,,,BR1,Adult,true,false,,\n",
            "patron with card_barcode 'P3' belongs to a library outside yours"),
        ("cards", "barcode,patron_card_barcode,active\nP3,P1,true\n", "card 'P3' belongs to a library outside yours"),
        ("cards", "barcode,patron_card_barcode,active\nC9,P3,true\n", "patron_card_barcode: no patron with card 'P3' in your libraries"),
        ("records", "record_id,title,author\n100001,Renamed,\n",
            "record_id 100001 is also used by libraries outside yours; only a consortium administrator can change it"),
        ("records", "record_id,title,author\n100002,Renamed,\n",
            "record_id 100002 is also used by libraries outside yours; only a consortium administrator can change it"),
        ("items", $"{Items}\nI3,100002,BR1,,book,available,,,true,\n", "item 'I3' belongs to a library outside yours"),
        ("policies", "org,profile,circ_modifier,loan_duration,max_renewals,fine_per_interval,fine_interval,max_fine,grace_period\nBR3,,,14 days,,,,,\n",
            "org 'BR3' is outside your libraries"),
        ("noncat_types", "name,owning_org,loan_duration\nPaperback,BR3,14 days\n", "owning_org 'BR3' is outside your libraries"),
        ("workstations", "name,org_short_name\nBR3-CIRC-01,BR1\n", "workstation 'BR3-CIRC-01' belongs to a library outside yours"),
        ("circulations", $"{Circulations}\nI3,P1,2026-02-01T10:00:00-05:00,2026-02-22T23:59:59-05:00,BR1,0\n",
            "item_barcode: no item with barcode 'I3' in your libraries"),
        ("circulations", $"{Circulations}\nI1,P3,2026-02-01T10:00:00-05:00,2026-02-22T23:59:59-05:00,BR1,0\n",
            "patron_card: no patron with card 'P3' in your libraries"),
        ("circulations", $"{Circulations}\nI1L,P1,2026-02-01T10:00:00-05:00,2026-02-22T23:59:59-05:00,BR1,0\n",
            "item_barcode 'I1L' is on loan through a library outside yours; only a consortium administrator can change that loan"),
        ("billings", "patron_card,amount,billing_type,billed_at\nP3,5.00,overdue,2026-01-01T00:00:00Z\n",
            "patron_card: no patron with card 'P3' in your libraries"),
        ("holds", $"{Holds}\nP3,,100001,BR1,2026-01-01T00:00:00Z,false\n", "patron_card: no patron with card 'P3' in your libraries"),
        ("holds", $"{Holds}\nP1,I3,,BR1,2026-01-01T00:00:00Z,false\n", "target_item_barcode: no item with barcode 'I3' in your libraries"),
        ("holds", $"{Holds}\nP1,,100001,BR3,2026-01-01T00:00:00Z,false\n", "pickup_org 'BR3' is outside your libraries"),
    ];

    private static async Task SeedAsync(ImportTestKit kit)
    {
        await kit.ImportAsync("profiles", "name,permission_interval_days,checkout_limit,fine_threshold\nAdult,1095,50,10.00\n");
        await kit.ImportAsync("patrons", $"{Patrons}\nP1,Tremblay,Olivia,,,,BR1,Adult,true,false,2030-01-01,\nP3,Singh,Arjun,,,,BR3,Adult,true,false,2030-01-01,\n");
        // 100001 is shared by both systems, 100002 is SYS2's alone, 100003 SYS1's alone.
        await kit.ImportAsync("records", "record_id,title,author\n100001,Shared Title,\n100002,Their Title,\n100003,Our Title,\n");
        await kit.ImportAsync("items", $"{Items}\nI1,100003,BR1,,book,available,,,true,\nI1L,100003,BR1,,book,available,,,true,\n" +
            "I13,100001,BR1,,book,available,,,true,\nI33,100001,BR3,,book,available,,,true,\nI3,100002,BR3,,book,available,,,true,\n");
        await kit.ImportAsync("workstations", "name,org_short_name\nBR3-CIRC-01,BR3\n");
        // I3 is lent by BR3 to its own patron; I1L, a BR1 item, is lent by BR3 to P3.
        await kit.ImportAsync("circulations", $"{Circulations}\nI3,P3,2026-02-01T10:00:00-08:00,2026-02-22T23:59:59-08:00,BR3,0\n" +
            "I1L,P3,2026-02-01T10:00:00-08:00,2026-02-22T23:59:59-08:00,BR3,0\n");
    }

    [Fact]
    public async Task Every_kind_refuses_rows_that_reach_another_system_and_nothing_changes()
    {
        Assert.Equal(ImportKinds.All.Where(k => !k.ConsortiumOnly).Select(k => k.Name).Order(), ForeignRows.Select(r => r.Kind).Distinct().Order());
        await using var kit = await ImportTestKit.StartAsync(database);
        await SeedAsync(kit);
        using var sys1Admin = await kit.UserAsync("admin.sys1@test.example", Roles.Administrator, kit.Orgs.Sys1);

        foreach (var (kind, csv, message) in ForeignRows)
        {
            Assert.Equal([(2, message)], await kit.RejectedAsync(kind, csv, sys1Admin));
        }
        foreach (var shared in ImportKinds.All.Where(k => k.ConsortiumOnly))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await ImportTestKit.PostCsvAsync(sys1Admin, shared.Name, "name\nx\n")).StatusCode);
        }

        await using var db = kit.App.CreateContext();
        var loans = await db.Circulations.Where(c => c.CheckinTime == null).Select(c => new { c.Item!.Barcode, Card = c.Patron!.Cards.First().Barcode }).ToListAsync();
        Assert.Equal([("I1L", "P3"), ("I3", "P3")], loans.Select(l => (l.Barcode, l.Card)).Order());
        Assert.Equal("Shared Title", (await db.Records.SingleAsync(r => r.Id == 100001)).Title);
        Assert.Equal("Their Title", (await db.Records.SingleAsync(r => r.Id == 100002)).Title);
        Assert.Equal(kit.Orgs.Br3.Id, (await db.Items.SingleAsync(i => i.Barcode == "I3")).OwningOrgId);
        Assert.Equal("Singh", (await db.Patrons.SingleAsync(p => p.Cards.Any(c => c.Barcode == "P3"))).FamilyName);
        Assert.False(await db.Holds.AnyAsync());
        Assert.False(await db.Billings.AnyAsync());
        Assert.Equal(1, await db.Cards.CountAsync(c => c.Barcode == "P3" || c.Barcode == "C9"));
    }

    [Fact]
    public async Task A_barcode_of_another_system_reads_exactly_like_one_that_does_not_exist()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await SeedAsync(kit);
        using var sys1Admin = await kit.UserAsync("admin.sys1@test.example", Roles.Administrator, kit.Orgs.Sys1);

        async Task<string> RefusalAsync(string kind, string csv) => (await kit.RejectedAsync(kind, csv, sys1Admin)).Single().Message;

        var loan = "{0},P1,2026-02-01T10:00:00-05:00,2026-02-22T23:59:59-05:00,BR1,0";
        Assert.Equal(
            (await RefusalAsync("circulations", $"{Circulations}\n{string.Format(loan, "NOPE")}\n")).Replace("NOPE", "X"),
            (await RefusalAsync("circulations", $"{Circulations}\n{string.Format(loan, "I3")}\n")).Replace("I3", "X"));
        Assert.Equal(
            (await RefusalAsync("billings", "patron_card,amount,billing_type,billed_at\nNOPE,5.00,overdue,2026-01-01T00:00:00Z\n")).Replace("NOPE", "X"),
            (await RefusalAsync("billings", "patron_card,amount,billing_type,billed_at\nP3,5.00,overdue,2026-01-01T00:00:00Z\n")).Replace("P3", "X"));
        Assert.Equal(
            (await RefusalAsync("holds", $"{Holds}\nP1,NOPE,,BR1,2026-01-01T00:00:00Z,false\n")).Replace("NOPE", "X"),
            (await RefusalAsync("holds", $"{Holds}\nP1,I3,,BR1,2026-01-01T00:00:00Z,false\n")).Replace("I3", "X"));
    }

    [Fact]
    public async Task Rows_inside_the_system_still_import_and_the_consortium_changes_shared_records()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        await SeedAsync(kit);
        using var sys1Admin = await kit.UserAsync("admin.sys1@test.example", Roles.Administrator, kit.Orgs.Sys1);

        Assert.Equal((1, 0, 1), await kit.ImportAsync("records", "record_id,title,author\n100003,Our Title Revised,\n", sys1Admin));
        Assert.Equal((1, 1, 0), await kit.ImportAsync("circulations", $"{Circulations}\nI1,P1,2026-02-01T10:00:00-05:00,2026-02-22T23:59:59-05:00,BR1,0\n", sys1Admin));
        Assert.Equal((1, 1, 0), await kit.ImportAsync("holds", $"{Holds}\nP1,,100001,BR2,2026-01-01T00:00:00Z,false\n", sys1Admin));
        Assert.Equal((1, 0, 1), await kit.ImportAsync("records", "record_id,title,author\n100001,Shared Title Revised,\n"));

        await using var db = kit.App.CreateContext();
        Assert.Equal("Shared Title Revised", (await db.Records.SingleAsync(r => r.Id == 100001)).Title);
        Assert.Equal(ItemStatus.CheckedOut, (await db.Items.SingleAsync(i => i.Barcode == "I1")).Status);
    }
}
