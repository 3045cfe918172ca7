using System.Text.Json;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;
using static OfflineCirc.Tests.Replay.ReplayScenarios;

namespace OfflineCirc.Tests.Replay;

/// <summary>Results that used to come out wrong, replayed against a real database.</summary>
public class WrongResultsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Checkout_of_an_item_whose_status_is_in_transit_warns_even_without_a_transit_row()
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.NewItemAsync("TRN", status: ItemStatus.InTransit);
        var tx = await w.CheckoutAsync(Ws1, Monday, "P1", "TRN");

        await w.RunAsync();

        var result = await w.ResultAsync(tx);
        Assert.Equal(ResultStatus.Warning, result.Status);
        Assert.Contains(ResultCodes.CopyInTransit, result.Codes);
        Assert.Equal(ItemStatus.CheckedOut, (await w.ItemAsync("TRN")).Status);
    }

    [Fact]
    public async Task Item_whose_change_time_is_unknown_has_no_newer_activity()
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.AddAsync(new Item { Barcode = "NEW", RecordId = 100, OwningOrgId = w.Br1.Id, CircModifier = "book", StatusChangedAt = null });
        var checkout = await w.CheckoutAsync(Ws1, Monday, "P1", "NEW");
        var checkin = await w.CheckinAsync(Ws1, Monday.AddDays(1), "NEW");

        await w.RunAsync();

        Assert.Equal(ResultStatus.Applied, (await w.ResultAsync(checkout)).Status);
        Assert.Equal(ResultStatus.Applied, (await w.ResultAsync(checkin)).Status);
        Assert.Equal(Monday.AddDays(1), (await w.ItemAsync("NEW")).StatusChangedAt);
    }

    [Fact]
    public async Task Registration_stored_before_its_parse_was_kept_reads_an_Evergreen_card_object_from_the_line()
    {
        var w = await ReplayWorld.CreateAsync(db);
        var user = JsonSerializer.Deserialize<JsonElement>("""
            {"card":{"barcode":"EG777"},"family_name":"Nguyen","first_given_name":"Linh","profile":"Adult","home_ou":"BR1",
             "billing_address":{"street1":"88 King St E","city":"Toronto"}}
            """);
        var tx = await w.RegisterAsync(Ws1, Monday, user);

        await w.RunAsync();

        var result = await w.ResultAsync(tx);
        Assert.Equal(ResultStatus.Applied, result.Status);
        await using var c = w.Context();
        var patron = c.Patrons.Single(p => p.Id == result.PatronId);
        Assert.Equal("Nguyen", patron.FamilyName);
        Assert.Equal("88 King St E, Toronto", patron.Address);
        Assert.Equal(patron.Id, await w.PatronIdAsync("EG777"));
    }

    [Fact]
    public async Task Result_keeps_where_the_replay_placed_the_transaction()
    {
        var w = await ReplayWorld.CreateAsync(db);
        var atDesk = await w.CheckoutAsync(Ws2, Monday, "P1", "I1");
        var unknownDesk = await w.CheckoutAsync("BR9-LAPTOP", Monday, "P2", "I2");

        await w.RunAsync();

        var desk = await w.ResultAsync(atDesk);
        Assert.Equal(w.Br1.Id, desk.OrgId);
        Assert.Equal(w.Workstations[Ws2].Id, desk.WorkstationId);
        // No registered workstation and no org named: the session's org, as the loan itself records.
        var session = await w.ResultAsync(unknownDesk);
        Assert.Equal(w.Session.OrgUnitId, session.OrgId);
        Assert.Null(session.WorkstationId);
        Assert.Equal(w.Session.OrgUnitId, Assert.Single(await w.CirculationsAsync("I2")).CheckoutOrgId);
    }
}
