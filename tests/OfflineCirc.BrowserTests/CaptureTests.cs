using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

/// <summary>Capturing with the network down: every type, the warnings, and nothing lost to reloads, closed tabs or a second tab.</summary>
[Collection(CapturePageCollection.Name)]
public sealed class CaptureTests(CaptureFixture app)
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    [Fact]
    public async Task Every_type_is_captured_offline_and_counted_per_type()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        var items = Enumerable.Range(0, 5).Select(_ => Barcodes.Item()).ToArray();
        var card = Barcodes.Patron();
        var started = DateTimeOffset.UtcNow;
        var backdate = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(-1), Toronto);

        await capture.CheckoutAsync(app.Seed.GoodPatron, items[0]);
        await capture.CheckoutAsync(app.Seed.GoodPatron, items[1]);
        await capture.CheckoutNoncatAsync(app.Seed.GoodPatron, Seed.NoncatType, 3);
        await Expect(capture.ById("checkout-current")).ToHaveTextAsync($"Patron {app.Seed.GoodPatron}: 3 recorded");
        await capture.RenewAsync(items[2], app.Seed.GoodPatron);
        await capture.CheckinAsync(items[3], backdate.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await capture.InHouseUseAsync(items[4], 5);
        await capture.RegisterAsync(card, "Newcomer", "Nora");

        await capture.ExpectPendingCountsAsync(new Dictionary<string, int>
        {
            ["checkout"] = 3,
            ["renew"] = 1,
            ["checkin"] = 1,
            ["in_house_use"] = 1,
            ["register"] = 1,
        });
        Assert.Equal(7, await capture.PendingCountAsync());
        await Expect(capture.Page.Locator("#pending-badge")).ToHaveTextAsync("7");

        var records = await capture.PendingRecordsAsync();
        Assert.All(records, r =>
        {
            Assert.Equal(Seed.Workstation, r.GetProperty("workstation").GetString());
            Assert.Equal(Seed.Org, r.GetProperty("org").GetString());
            // A version 7 UUID whose first 48 bits are the capture's time in milliseconds (docs/adr-023).
            var id = r.GetProperty("id").GetString()!;
            Assert.True(Guid.TryParseExact(id, "D", out _));
            Assert.Equal('7', id[14]);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(id[..8] + id[9..13], 16));
            Assert.InRange(at, started.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        });
        var noncat = Assert.Single(records, r => r.TryGetProperty("noncat", out _));
        Assert.Equal(3, noncat.GetProperty("noncat_count").GetInt32());
        Assert.Equal(Seed.NoncatType, noncat.GetProperty("noncat_type").GetString());
        var checkin = Assert.Single(records, r => Type(r) == "checkin");
        Assert.StartsWith(backdate.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), checkin.GetProperty("backdate").GetString());
        var use = Assert.Single(records, r => Type(r) == "in_house_use");
        Assert.Equal(5, use.GetProperty("count").GetInt32());
        var register = Assert.Single(records, r => Type(r) == "register");
        Assert.Equal(card, register.GetProperty("user").GetProperty("card").GetString());
        Assert.Equal(Seed.Org, register.GetProperty("user").GetProperty("home_ou").GetString());
        var renewal = Assert.Single(records, r => Type(r) == "renew");
        Assert.Equal(app.Seed.GoodPatron, renewal.GetProperty("patron_barcode").GetString());
    }

    [Fact]
    public async Task Blocked_patron_bad_barcode_and_duplicate_item_warn_and_staff_decide()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenAsync(context);
        await capture.SetUpAsync();
        var listed = await capture.ById("blocklist-refreshed").InnerTextAsync();
        var listDate = listed[(listed.IndexOf("list generated ", StringComparison.Ordinal) + "list generated ".Length)..listed.IndexOf(", 1 blocked", StringComparison.Ordinal)];
        await capture.GoOfflineAsync(context);
        var item = Barcodes.Item();

        // Blocked patron: the reason and the list's date, at the desk and in the dialog; Allow keeps the capture.
        await capture.CheckoutAsync(app.Seed.BarredPatron, item, expectWarning: true);
        await Expect(capture.ById("checkout-patron-warning")).ToContainTextAsync("barred");
        var blocked = await capture.WarningTextAsync("patron_blocked");
        // The portal's words for the code an Allow records, then the desk's details.
        Assert.StartsWith("The patron is barred.", blocked);
        Assert.Contains($"Patron {app.Seed.BarredPatron} is on the block list of {listDate}.", blocked);
        Assert.Equal(0, await capture.PendingCountAsync());
        await capture.DecideAsync(allow: true);
        await Expect(capture.PendingCount("checkout")).ToHaveTextAsync("1");

        // Bad check digit: Reject discards it.
        var bad = Barcodes.ItemWithWrongCheckDigit();
        await capture.CheckinAsync(bad, expectWarning: true);
        Assert.Contains("wrong check digit", await capture.WarningTextAsync("item_barcode_rule"));
        await capture.DecideAsync(allow: false);
        await Expect(capture.Status).ToContainTextAsync("Rejected and discarded");

        // The same item again: Allow on check-in, Reject on in-house use.
        await capture.CheckinAsync(item, expectWarning: true);
        var repeated = await capture.WarningTextAsync("duplicate_item");
        Assert.StartsWith("The same item or card was already captured", repeated);
        Assert.Contains($"Item {item}: Check-out at", repeated);
        await capture.DecideAsync(allow: true);
        await capture.InHouseUseAsync(item, 1, expectWarning: true);
        Assert.Contains("already captured", await capture.WarningTextAsync("duplicate_item"));
        await capture.DecideAsync(allow: false);

        await capture.ExpectPendingCountsAsync(new Dictionary<string, int> { ["checkout"] = 1, ["checkin"] = 1 });
        var records = await capture.PendingRecordsAsync();
        Assert.Equal(2, records.Count);
        Assert.DoesNotContain(records, r => r.TryGetProperty("barcode", out var b) && b.GetString() == bad);
        var codes = records.Select(r => r.GetProperty("local").GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()).Single()).Order();
        Assert.Equal(["duplicate_item", "patron_blocked"], codes);
        await capture.TabAsync("pending");
        await Expect(capture.ById("pending-reason").First).ToContainTextAsync("Warning allowed");
    }

    [Fact]
    public async Task A_block_list_stored_by_the_previous_version_of_the_page_still_warns_offline()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenAsync(context);
        await capture.SetUpAsync();
        // What a page from before the sorted block list stored: one object per card, unsorted.
        var other = Barcodes.Patron();
        await capture.Page.EvaluateAsync("""
            async ([barred, other]) => {
              const db = await import('/offline/js/db.js');
              const now = new Date().toISOString();
              await db.setMeta('blocklist', { entries: [{ barcode: other, reason: 'L' }, { barcode: barred, reason: 'B' }], refreshedAt: now, generatedAt: now });
            }
            """, new[] { app.Seed.BarredPatron, other });
        await capture.GoOfflineAsync(context);

        await capture.TabAsync("settings");
        await Expect(capture.ById("blocklist-refreshed")).ToContainTextAsync("2 blocked card(s)");
        await capture.CheckoutAsync(app.Seed.BarredPatron, Barcodes.Item(), expectWarning: true);
        Assert.StartsWith("The patron is barred.", await capture.WarningTextAsync("patron_blocked"));
        await capture.DecideAsync(allow: false);
        await capture.TabAsync("checkout");
        await capture.ById("checkout-next-patron").ClickAsync();
        await capture.CheckoutAsync(other, Barcodes.Item(), expectWarning: true);
        Assert.StartsWith(await capture.Page.EvaluateAsync<string>("async () => (await import('/offline/js/context.js')).describeCode('PATRON_CARD_INACTIVE')"),
            await capture.WarningTextAsync("patron_blocked"));
    }

    [Fact]
    public async Task Captures_survive_a_reload_and_a_closed_and_reopened_tab()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        await capture.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        await capture.CheckinAsync(Barcodes.Item());
        await capture.InHouseUseAsync(Barcodes.Item(), 2);
        var counts = new Dictionary<string, int> { ["checkout"] = 1, ["checkin"] = 1, ["in_house_use"] = 1 };
        var ids = await capture.PendingIdsAsync();
        Assert.Equal(3, ids.Count);

        await capture.ReloadAsync();
        await capture.ExpectPendingCountsAsync(counts);
        Assert.Equal(ids, await capture.PendingIdsAsync());

        await capture.Page.CloseAsync();
        var reopened = await CapturePage.OpenAsync(context);
        await reopened.ExpectPendingCountsAsync(counts);
        Assert.Equal(ids, await reopened.PendingIdsAsync());
        await reopened.TabAsync("pending");
        await Expect(reopened.ById("pending-row")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task Two_tabs_agree_on_what_is_pending()
    {
        await using var context = await app.NewContextAsync();
        var first = await CapturePage.OpenOfflineAsync(context);
        var second = await CapturePage.OpenAsync(context);
        await second.TabAsync("pending");
        await Expect(second.PendingCount("total")).ToHaveTextAsync("0");

        await first.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        await Expect(second.PendingCount("checkout")).ToHaveTextAsync("1");
        await Expect(second.ById("pending-row")).ToHaveCountAsync(1);

        await second.InHouseUseAsync(Barcodes.Item(), 4);
        await first.ExpectPendingCountsAsync(new Dictionary<string, int> { ["checkout"] = 1, ["in_house_use"] = 1 });
        Assert.Equal(2, await first.PendingCountAsync());
        Assert.Equal(2, await second.PendingCountAsync());
        Assert.Equal(await first.PendingIdsAsync(), await second.PendingIdsAsync());
    }

    private static string? Type(JsonElement record) => record.GetProperty("type").GetString();
}
