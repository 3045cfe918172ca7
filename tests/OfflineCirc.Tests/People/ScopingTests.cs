using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

public class ScopingTests(TestDatabase database) : PeopleTestBase(database)
{
    [Fact]
    public async Task Sys1_administrator_gets_404_for_a_sys2_patron_and_item_on_pages_and_api()
    {
        await SeedPatronAsync(Orgs.Br3, "P-BR3-1");
        await SeedItemAsync(Orgs.Br3, "I-BR3-1");
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        var patronPage = await admin.Http.GetAsync("/Lookup/Patron?barcode=P-BR3-1");
        var itemPage = await admin.Http.GetAsync("/Lookup/Item?barcode=I-BR3-1");
        var search = await admin.Http.GetAsync("/Lookup?barcode=P-BR3-1");
        var patronApi = await admin.Http.GetAsync("/api/patrons/P-BR3-1");
        var itemApi = await admin.Http.GetAsync("/api/items/I-BR3-1");

        Assert.Equal(HttpStatusCode.NotFound, patronPage.StatusCode);
        Assert.Contains("Not found in your libraries", await patronPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, itemPage.StatusCode);
        Assert.DoesNotContain("A Book", await itemPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, search.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patronApi.StatusCode);
        Assert.Equal("application/problem+json", patronApi.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, itemApi.StatusCode);
    }

    [Fact]
    public async Task Sys1_administrator_sees_own_patron_with_loans_holds_blocks_and_balance()
    {
        var patron = await SeedPatronAsync(Orgs.Br1, "P-BR1-1", family: "Nguyen", given: "Lan");
        var item = await SeedItemAsync(Orgs.Br2, "I-BR2-1", title: "Ocean Tides");
        var held = await SeedItemAsync(Orgs.Br1, "I-BR1-9", title: "Mountain Paths");
        await using (var db = App.CreateContext())
        {
            var due = DateTimeOffset.UtcNow.AddDays(-2);
            db.Circulations.Add(new Circulation { PatronId = patron.Id, ItemId = item.Id, CheckoutTime = due.AddDays(-14), DueTime = due, CheckoutOrgId = Orgs.Br2.Id });
            db.Holds.Add(new Hold { PatronId = patron.Id, TargetRecordId = held.RecordId, PickupOrgId = Orgs.Br1.Id, RequestTime = DateTimeOffset.UtcNow.AddDays(-1), Status = HoldStatus.Pending });
            db.PatronBlocks.Add(new PatronBlock { PatronId = patron.Id, Name = "verify patron information", CreatedAt = DateTimeOffset.UtcNow });
            db.Billings.AddRange(
                new Billing { PatronId = patron.Id, Amount = 3.50m, BillingType = "overdue", BilledAt = DateTimeOffset.UtcNow.AddDays(-5) },
                new Billing { PatronId = patron.Id, Amount = 2.00m, BillingType = "overdue", BilledAt = DateTimeOffset.UtcNow.AddDays(-4), Voided = true },
                new Billing { PatronId = patron.Id, Amount = 1.25m, BillingType = "processing", BilledAt = DateTimeOffset.UtcNow.AddDays(-3) });
            db.Payments.Add(new Payment { PatronId = patron.Id, Amount = 1.00m, PaidAt = DateTimeOffset.UtcNow.AddDays(-1) });
            item.Status = ItemStatus.CheckedOut;
            db.Items.Attach(item).Property(i => i.Status).IsModified = true;
            await db.SaveChangesAsync();
        }
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        var search = await admin.Http.GetAsync("/Lookup?barcode=P-BR1-1");
        Assert.Equal(HttpStatusCode.Redirect, search.StatusCode);
        var page = await admin.Http.GetStringAsync(search.Headers.Location!.ToString());
        Assert.Contains("Nguyen, Lan", page);
        Assert.Contains("Ocean Tides", page);
        Assert.Contains("overdue</span>", page);
        Assert.Contains("Mountain Paths", page);
        Assert.Contains("verify patron information", page);
        Assert.Contains("3.75", page);

        var json = await admin.Http.GetFromJsonAsync<JsonElement>("/api/patrons/P-BR1-1");
        Assert.Equal(3.75m, json.GetProperty("balance").GetDecimal());
        Assert.Equal("BR1", json.GetProperty("homeOrg").GetString());
        Assert.Equal("I-BR2-1", json.GetProperty("loans")[0].GetProperty("itemBarcode").GetString());
        Assert.Equal("pending", json.GetProperty("holds")[0].GetProperty("status").GetString());

        var itemJson = await admin.Http.GetFromJsonAsync<JsonElement>("/api/items/I-BR2-1");
        Assert.Equal("checked_out", itemJson.GetProperty("status").GetString());
        Assert.Equal("P-BR1-1", itemJson.GetProperty("openLoan").GetProperty("patron").GetProperty("barcode").GetString());
    }

    [Fact]
    public async Task Item_page_does_not_name_a_borrower_from_another_system()
    {
        var stranger = await SeedPatronAsync(Orgs.Br3, "P-BR3-7", family: "Faraway", given: "Fay");
        var item = await SeedItemAsync(Orgs.Br1, "I-BR1-7", title: "Shared Stories");
        await using (var db = App.CreateContext())
        {
            db.Circulations.Add(new Circulation { PatronId = stranger.Id, ItemId = item.Id, CheckoutTime = DateTimeOffset.UtcNow, DueTime = DateTimeOffset.UtcNow.AddDays(14), CheckoutOrgId = Orgs.Br3.Id });
            await db.SaveChangesAsync();
        }
        using var staff = await SignInNewUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);

        var page = await staff.Http.GetStringAsync("/Lookup/Item?barcode=I-BR1-7");

        Assert.Contains("Shared Stories", page);
        Assert.Contains("a patron of another library", page);
        Assert.DoesNotContain("Faraway", page);
        Assert.DoesNotContain("P-BR3-7", page);
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Staff)]
    public async Task Admin_pages_are_forbidden_to_auditors_and_staff(string role)
    {
        using var client = await SignInNewUserAsync("someone@sys1.example", role, Orgs.Sys1);

        foreach (var url in new[] { "/Admin/Users", "/Admin/Users/Create", "/Admin/Workstations" })
        {
            var response = await GetFollowingAsync(client, url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        var post = await client.PostFormAsync("/Admin/Users/Create", new()
        {
            ["Input.Email"] = "sneaky@br1.example",
            ["Input.DisplayName"] = "Sneaky",
            ["Input.Password"] = "Sneaky-Password-1",
            ["Input.Role"] = Roles.Administrator,
            ["Input.HomeOrgId"] = Orgs.Br1.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, formPage: "/Account/Tokens");
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        await using var db = App.CreateContext();
        Assert.False(db.Users.Any(u => u.Email == "sneaky@br1.example"));
    }

    [Fact]
    public async Task Auditor_reads_lookup_pages_and_api_of_their_subtree()
    {
        await SeedPatronAsync(Orgs.Br2, "P-BR2-1", family: "Okafor", given: "Ada");
        await SeedItemAsync(Orgs.Br2, "I-BR2-5", title: "River Songs");
        using var auditor = await SignInNewUserAsync("auditor@sys1.example", Roles.Auditor, Orgs.Sys1);

        Assert.Equal(HttpStatusCode.OK, (await auditor.Http.GetAsync("/Lookup")).StatusCode);
        Assert.Contains("Okafor, Ada", await auditor.Http.GetStringAsync("/Lookup/Patron?barcode=P-BR2-1"));
        Assert.Contains("River Songs", await auditor.Http.GetStringAsync("/Lookup/Item?barcode=I-BR2-5"));
        Assert.Equal(HttpStatusCode.OK, (await auditor.Http.GetAsync("/api/items/I-BR2-5")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.Http.GetAsync("/Lookup/Patron?barcode=NO-SUCH-CARD")).StatusCode);
    }

    [Fact]
    public async Task Patron_data_is_shown_as_text_never_as_markup()
    {
        await SeedPatronAsync(Orgs.Br1, "P-BR1-X", family: "<script>alert(1)</script>", given: "<b>Bold</b>");
        using var admin = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);

        var page = await admin.Http.GetStringAsync("/Lookup/Patron?barcode=P-BR1-X");

        Assert.DoesNotContain("<script>alert(1)</script>", page);
        Assert.DoesNotContain("<b>Bold</b>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
    }
}
