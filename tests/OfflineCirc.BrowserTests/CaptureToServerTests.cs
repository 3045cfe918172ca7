using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.BrowserTests.Infrastructure;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

/// <summary>What staff decide and take at the desk reaches the server: allowed warnings, and payments through the replay.</summary>
[Collection(CapturePageCollection.Name)]
public sealed class CaptureToServerTests(CaptureFixture app)
{
    [Fact]
    public async Task Allow_on_a_warning_travels_in_the_stored_line_from_an_exported_file_and_from_the_page_upload()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // A barred patron, allowed: exported and uploaded as a file through the API, as an administrator would.
        await capture.CheckoutAsync(app.Seed.BarredPatron, Barcodes.Item(), expectWarning: true);
        await capture.DecideAsync(allow: true);
        var barredId = Assert.Single(await capture.PendingIdsAsync());
        await capture.TabAsync("pending");
        await Expect(capture.ById("pending-reason")).ToContainTextAsync("Warning allowed: The patron is barred.");
        var download = await capture.Page.RunAndWaitForDownloadAsync(() => capture.ById("pending-export").ClickAsync());
        var file = await File.ReadAllTextAsync((await download.PathAsync())!);
        using var portal = await app.PortalAsync();
        var created = await portal.PostJsonAsync("/api/sessions", new { org = Seed.Org, description = "Allowed warnings from a file" });
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var uploaded = await PostFileAsync(portal, $"/api/sessions/{sessionId}/files", download.SuggestedFilename, file);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());

        // A wrong check digit, allowed: uploaded by the page itself once the network is back.
        var misread = Barcodes.ItemWithWrongCheckDigit();
        await capture.CheckinAsync(misread, expectWarning: true);
        Assert.StartsWith("The barcode has a wrong check digit", await capture.WarningTextAsync("item_barcode_rule"));
        await capture.DecideAsync(allow: true);
        var misreadId = Assert.Single(await capture.PendingIdsAsync(), id => id != barredId);
        await context.SetOfflineAsync(false);
        await Expect(capture.ById("network-upload")).ToBeVisibleAsync();
        await capture.ById("network-upload").ClickAsync();
        await Expect(capture.Status).ToContainTextAsync("Upload finished");
        await Expect(capture.Status).ToContainTextAsync("1 accepted, 1 already on the server");

        await using var db = app.CreateDbContext();
        var stored = await db.Transactions.AsNoTracking().Where(t => t.Key == barredId || t.Key == misreadId).ToDictionaryAsync(t => t.Key);
        AssertOverride(stored[barredId].Payload, "PATRON_BARRED", before);
        AssertOverride(stored[misreadId].Payload, "BAD_CHECK_DIGIT", before);
        Assert.Equal(sessionId, stored[barredId].SessionId);
    }

    [Fact]
    public async Task Each_warning_allowed_at_the_desk_is_recorded_with_its_code()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        var item = Barcodes.Item();

        await capture.TabAsync("checkout");
        await capture.ById("checkout-due-date").FillAsync(DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await capture.CheckoutAsync(app.Seed.GoodPatron, item, expectWarning: true);
        Assert.StartsWith("The due date was already past", await capture.WarningTextAsync("due_date_past"));
        await capture.DecideAsync(allow: true);
        await capture.CheckinAsync(item, expectWarning: true);
        await capture.DecideAsync(allow: true);
        await capture.InHouseUseAsync("NOT-A-BARCODE", 1, expectWarning: true);
        Assert.StartsWith("The barcode does not match the library's barcode format.", await capture.WarningTextAsync("item_barcode_rule"));
        await capture.DecideAsync(allow: true);

        // Each Allow is written after its dialog closes; the three captures are read once all three carry their codes.
        await capture.UntilAsync(
            "async () => (await (await import('/offline/js/db.js')).pending()).filter(r => r.overrides?.length).length === 3",
            "Not every allowed capture carries its codes.");
        var records = await capture.PendingRecordsAsync();
        string Codes(string type) => string.Join(",", records.Single(r => r.GetProperty("type").GetString() == type)
            .GetProperty("overrides").EnumerateArray().Select(o => o.GetProperty("code").GetString()));
        Assert.Equal("DUE_DATE_IN_PAST", Codes("checkout"));
        Assert.Equal("DUPLICATE_CAPTURE", Codes("checkin"));
        Assert.Equal("BAD_BARCODE_FORMAT", Codes("in_house_use"));
    }

    [Fact]
    public async Task Payment_tab_records_a_payment_that_processing_applies_to_the_patrons_balance()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);

        // A mistyped amount is refused with a sentence, and nothing is recorded.
        await capture.TabAsync("payment");
        await capture.ById("payment-patron").FillAsync(app.Seed.PayingPatron);
        await capture.ById("payment-amount").FillAsync("two fifty");
        await capture.ById("payment-record").ClickAsync();
        await Expect(capture.Alert).ToContainTextAsync("\"two fifty\" is not an amount");
        await Expect(capture.ById("payment-amount")).ToBeFocusedAsync();
        await capture.ById("payment-amount").FillAsync("");
        await capture.ById("payment-patron").FillAsync("");

        await capture.ById("payment-patron").FocusAsync();
        await capture.PaymentAsync(app.Seed.PayingPatron, "2.5", "cash, receipt 114");
        await Expect(capture.ById("payment-recent")).ToContainTextAsync($"Payment: patron {app.Seed.PayingPatron}, amount 2.50");
        await capture.ExpectPendingCountsAsync(new Dictionary<string, int> { ["payment"] = 1 });
        var record = Assert.Single(await capture.PendingRecordsAsync());
        Assert.Equal("payment", record.GetProperty("type").GetString());
        Assert.Equal("2.50", record.GetProperty("amount").GetString());
        Assert.Equal("cash, receipt 114", record.GetProperty("note").GetString());

        await context.SetOfflineAsync(false);
        await Expect(capture.ById("network-upload")).ToBeVisibleAsync();
        await capture.ById("network-upload").ClickAsync();
        await Expect(capture.Status).ToContainTextAsync("1 accepted");
        var key = record.GetProperty("id").GetString()!;
        long sessionId;
        await using (var db = app.CreateDbContext())
        {
            sessionId = (await db.Transactions.AsNoTracking().SingleAsync(t => t.Key == key)).SessionId;
        }

        using var portal = await app.PortalAsync();
        var started = await portal.PostJsonAsync($"/api/sessions/{sessionId}/process", new { });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var result = await Poll.UntilAsync(async () =>
        {
            await using var db = app.CreateDbContext();
            return await db.Results.AsNoTracking().Where(r => r.IsCurrent)
                .Join(db.Transactions.Where(t => t.Key == key), r => r.TransactionId, t => t.Id, (r, _) => r).SingleOrDefaultAsync();
        }, seconds: 120);
        Assert.Equal(ResultStatus.Applied, result.Status);

        await using var check = app.CreateDbContext();
        var patronId = await check.Cards.Where(c => c.Barcode == app.Seed.PayingPatron).Select(c => c.PatronId).SingleAsync();
        var payment = await check.Payments.AsNoTracking().SingleAsync(p => p.PatronId == patronId);
        Assert.Equal(2.50m, payment.Amount);
        Assert.Equal(sessionId, payment.OriginSessionId);
        var owed = await check.Billings.Where(b => b.PatronId == patronId && !b.Voided).SumAsync(b => b.Amount - b.AmountPaid);
        Assert.Equal(Seed.PayingPatronOwes - 2.50m, owed);
    }

    [Fact]
    public async Task A_failed_upload_shows_only_the_error_not_a_progress_note_beside_it()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        await capture.InHouseUseAsync(Barcodes.Item(), 1);
        await Expect(capture.Status).ToContainTextAsync("Recorded");

        await capture.TabAsync("pending");
        await capture.ById("pending-upload").ClickAsync();

        await Expect(capture.Alert).ToContainTextAsync("Upload stopped: The server cannot be reached");
        await Expect(capture.Status).ToBeEmptyAsync();
        await Expect(capture.Status).ToBeHiddenAsync();
        Assert.Equal(1, await capture.PendingCountAsync());
    }

    private static void AssertOverride(string payload, string code, long notBefore)
    {
        var line = JsonDocument.Parse(payload).RootElement;
        var allowed = Assert.Single(line.GetProperty("overrides").EnumerateArray());
        Assert.Equal(code, allowed.GetProperty("code").GetString());
        Assert.Equal(AppFactory.AdminEmail, allowed.GetProperty("by").GetString());
        var at = allowed.GetProperty("at").GetInt64();
        Assert.InRange(at, notBefore, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    private static async Task<HttpResponseMessage> PostFileAsync(PortalClient portal, string url, string fileName, string content)
    {
        var token = (await portal.Http.GetFromJsonAsync<JsonElement>("/api/antiforgery")).GetProperty("token").GetString();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Seed.Workstation), "workstation" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", fileName },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
        request.Headers.Add("X-CSRF-TOKEN", token);
        var response = await portal.Http.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
        return response;
    }
}
