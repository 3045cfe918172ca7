using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using OfflineCirc.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

/// <summary>After the outage: the exported file through the portal, and the page's own upload once the network is back.</summary>
[Collection(CapturePageCollection.Name)]
public sealed class UploadTests(CaptureFixture app)
{
    [Fact]
    public async Task Exported_file_uploaded_through_the_portal_stores_the_same_ids()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        await capture.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        await capture.CheckoutNoncatAsync(app.Seed.GoodPatron, Seed.NoncatType, 2);
        await capture.CheckinAsync(Barcodes.Item());
        await capture.InHouseUseAsync(Barcodes.Item(), 3);
        var ids = await capture.PendingIdsAsync();

        await capture.TabAsync("pending");
        var download = await capture.Page.RunAndWaitForDownloadAsync(() => capture.ById("pending-export").ClickAsync());
        Assert.Matches($"^offlinecirc-{Seed.Workstation}-.*\\.jsonl$", download.SuggestedFilename);
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        var exported = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(ids, exported.Select(e => e.GetProperty("id").GetString()!).Order());
        Assert.All(exported, e => Assert.False(e.TryGetProperty("local", out _), "page-only details must not be exported"));

        using var portal = await SignInToPortalAsync();
        var created = await portal.PostJsonAsync("/api/sessions", new { org = Seed.Org, description = "Outage file from the capture page" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var uploaded = await PostFileAsync(portal, $"/api/sessions/{sessionId}/files", download.SuggestedFilename, string.Join('\n', lines) + "\n");
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var summary = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, summary.GetProperty("stored").GetInt32());

        await using var db = app.CreateDbContext();
        var stored = await db.Transactions.AsNoTracking().Where(t => ids.Contains(t.Key)).ToListAsync();
        Assert.Equal(ids, stored.Select(t => t.Key).Order());
        Assert.All(stored, t => Assert.Equal(sessionId, t.SessionId));
        Assert.Equal(["checkin", "checkout", "checkout", "in_house_use"], stored.Select(t => t.Type).Order());
        Assert.Equal(2, stored.Single(t => t.NoncatType is not null).NoncatCount);
    }

    [Fact]
    public async Task Upload_from_the_page_moves_acknowledged_captures_and_keeps_refused_ones_with_the_reason()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        await capture.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        await capture.RegisterAsync(Barcodes.Patron(), "Uploader", "Una");
        await capture.InHouseUseAsync(Barcodes.Item(), 1);
        var accepted = await capture.PendingIdsAsync();

        // A line the page lets through on import but the server refuses: an in-house use of count 0.
        var refusedId = Guid.NewGuid().ToString();
        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = refusedId,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["type"] = "in_house_use",
            ["workstation"] = Seed.Workstation,
            ["org"] = Seed.Org,
            ["barcode"] = Barcodes.Item(),
            ["count"] = 0,
        });
        await capture.TabAsync("pending");
        await capture.ById("pending-import").SetInputFilesAsync(new FilePayload
        {
            Name = "from-another-computer.jsonl",
            MimeType = "application/x-ndjson",
            Buffer = Encoding.UTF8.GetBytes(line + "\n"),
        });
        await Expect(capture.Status).ToContainTextAsync("Imported 1 of 1 transaction(s)");
        await Expect(capture.PendingCount("total")).ToHaveTextAsync("4");

        await context.SetOfflineAsync(false);
        await Expect(capture.ById("network-status")).ToContainTextAsync("Online.");
        await Expect(capture.Status).ToContainTextAsync("The network is back. 4 transaction(s) are waiting");
        await capture.ById("network-upload").ClickAsync();

        await Expect(capture.Alert).ToContainTextAsync("Upload finished");
        await Expect(capture.Alert).ToContainTextAsync("3 accepted");
        await Expect(capture.Alert).ToContainTextAsync("1 rejected");
        await capture.ExpectPendingCountsAsync(new Dictionary<string, int> { ["in_house_use"] = 1 });
        Assert.Equal([refusedId], await capture.PendingIdsAsync());
        await Expect(capture.ById("pending-row")).ToHaveCountAsync(1);
        await Expect(capture.ById("pending-reason")).ToContainTextAsync("Rejected by the server:");
        await Expect(capture.ById("pending-reason")).ToContainTextAsync("count must be 1-100");
        await capture.TabAsync("uploaded");
        await Expect(capture.ById("uploaded-count")).ToHaveTextAsync("3");
        await Expect(capture.ById("uploaded-row")).ToHaveCountAsync(3);

        await using var db = app.CreateDbContext();
        var stored = await db.Transactions.AsNoTracking().Where(t => accepted.Contains(t.Key) || t.Key == refusedId).ToListAsync();
        Assert.Equal(accepted, stored.Select(t => t.Key).Order());
        Assert.Equal(["checkout", "in_house_use", "register"], stored.Select(t => t.Type).Order());
    }

    private async Task<PortalClient> SignInToPortalAsync()
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        var portal = new PortalClient(new HttpClient(handler) { BaseAddress = new Uri(app.BaseUrl) });
        var login = await portal.LoginAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return portal;
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
        return await portal.Http.SendAsync(request);
    }
}
